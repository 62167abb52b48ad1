package org.tributary.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table for an 80-column terminal: each column as wide as its widest cell, numbers right-aligned, the
 * last column never padded so a long free text (a reason, a description) only ever overflows at the end of its
 * own line. Columns are two spaces apart, or one when two would not fit.
 */
final class Table {

    private static final int TERMINAL = 80;

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> right = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a left-aligned column. */
    Table left(String header) {
        headers.add(header);
        right.add(false);
        return this;
    }

    /** Adds a right-aligned column, for numbers. */
    Table right(String header) {
        headers.add(header);
        right.add(true);
        return this;
    }

    /** Adds a row; {@code null} cells print as {@code -}. */
    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        int columns = headers.size();
        int[] widths = new int[columns];
        for (int i = 0; i < columns; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        int total = 0;
        for (int i = 0; i < columns; i++) {
            // A left-aligned last column is free text (a reason, a description): it may run past the edge.
            total += i == columns - 1 && !right.get(i) ? headers.get(i).length() : widths[i];
        }
        // Two spaces read better; one space keeps a wide table (a long stream name, a TCP session) on one line.
        String gap = total + 2 * (columns - 1) <= TERMINAL ? "  " : " ";
        StringBuilder out = new StringBuilder();
        line(out, headers.toArray(String[]::new), widths, gap);
        for (String[] row : rows) {
            out.append('\n');
            line(out, row, widths, gap);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths, String gap) {
        int start = out.length();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(gap);
            }
            boolean last = i == cells.length - 1;
            int pad = widths[i] - cells[i].length();
            if (right.get(i)) {
                out.append(" ".repeat(pad)).append(cells[i]);
            } else {
                out.append(cells[i]);
                if (!last) {
                    out.append(" ".repeat(pad));
                }
            }
        }
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
    }
}
