package org.tributary.source.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;

import org.tributary.rtp.jpeg.JpegException;
import org.tributary.rtp.jpeg.JpegScanner;

/**
 * Where every frame of one MJPEG file lies (byte offset and length), built by one sequential pass over
 * the file with a bounded window, so a file of any size is indexed in a few MB of memory.
 *
 * <p>A file damaged in the middle is indexed up to the damage: the frames before it are in the index and
 * {@link #damage()} says where and what the damage is. Raw JPEG frames are delimited by walking each
 * image's segment structure ({@link JpegScanner}); length-prefixed frames by their header, and their
 * content must be one whole JPEG image as well.
 *
 * <p>Immutable once built; safe to share between readers.
 */
final class FrameIndex {

    /** A frame longer than this is taken for damage rather than read into memory. */
    static final int MAX_FRAME_BYTES = 64 << 20;

    private static final int INITIAL_WINDOW = 1 << 20;
    private static final int FIRST_TRY_BYTES = 256 << 10;

    /**
     * Where a file stops being playable.
     *
     * @param frame the number of the first frame that could not be indexed
     * @param offset the byte offset in the file where that frame starts
     * @param problem what is wrong there
     */
    record Damage(int frame, long offset, String problem) {
        /** A message for a person: "movie.Mjpeg: frame 812 at byte 7340032: bad length header ...". */
        String message(String file) {
            return file + ": frame " + frame + " at byte " + offset + ": " + problem;
        }
    }

    private final String file;
    private final MjpegFormat format;
    private final long[] offsets;
    private final int[] lengths;
    private final JpegSize size;
    private final Damage damage;
    private final long fileSize;
    private final FileTime modified;

    private FrameIndex(String file, MjpegFormat format, long[] offsets, int[] lengths, JpegSize size, Damage damage,
            long fileSize, FileTime modified) {
        this.file = file;
        this.format = format;
        this.offsets = offsets;
        this.lengths = lengths;
        this.size = size;
        this.damage = damage;
        this.fileSize = fileSize;
        this.modified = modified;
    }

    /**
     * Indexes the file at {@code path}.
     *
     * @param links {@link LinkOption#NOFOLLOW_LINKS} to refuse a path whose last element is a symbolic link
     * @throws IOException if the file cannot be read, is empty, or starts with neither MJPEG layout; the
     *         message names the file
     */
    static FrameIndex build(Path path, LinkOption... links) throws IOException {
        String name = path.toString();
        try (FileChannel channel = FileChannel.open(path, openOptions(links))) {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, links);
            return scan(channel, name, attributes.size(), attributes.lastModifiedTime());
        }
    }

    /** Options for opening a file for reading with the given link policy. */
    static OpenOption[] openOptions(LinkOption... links) {
        OpenOption[] options = Arrays.copyOf(new OpenOption[] { StandardOpenOption.READ }, 1 + links.length);
        System.arraycopy(links, 0, options, 1, links.length);
        return options;
    }

    /**
     * Indexes the first {@code fileSize} bytes of {@code channel}; {@code file} names it in messages and
     * {@code modified} is remembered for {@link #matches(BasicFileAttributes)}.
     */
    static FrameIndex scan(FileChannel channel, String file, long fileSize, FileTime modified) throws IOException {
        if (fileSize == 0) {
            throw new IOException(file + ": empty file, not an MJPEG file");
        }
        Window window = new Window(channel, fileSize);
        ByteBuffer head = window.view(0, MjpegFormat.HEAD_BYTES);
        MjpegFormat format = MjpegFormat.detect(head).orElseThrow(() -> new IOException(file
                + ": not an MJPEG file: starts with " + hex(head, 0, Math.min(head.limit(), MjpegFormat.HEAD_BYTES))
                + ", expected a JPEG image (FF D8) or a 5-digit frame length followed by one"));
        Builder builder = new Builder();
        if (format == MjpegFormat.RAW_JPEG) {
            scanRaw(window, fileSize, builder);
        } else {
            scanLengthPrefixed(window, fileSize, builder);
        }
        JpegSize size = JpegSize.UNKNOWN;
        if (builder.count > 0) {
            size = JpegSize.of(window.view(builder.offsets[0], builder.lengths[0]).limit(builder.lengths[0]));
        }
        return new FrameIndex(file, format, Arrays.copyOf(builder.offsets, builder.count),
                Arrays.copyOf(builder.lengths, builder.count), size, builder.damage, fileSize, modified);
    }

    private static void scanRaw(Window window, long fileSize, Builder builder) throws IOException {
        long pos = 0;
        while (pos < fileSize) {
            int want = FIRST_TRY_BYTES;
            int length;
            while (true) {
                ByteBuffer view = window.view(pos, want);
                try {
                    length = JpegScanner.imageLength(view, 0);
                } catch (JpegException e) {
                    builder.damage(pos, "not a JPEG image: " + e.getMessage() + " (byte offsets counted from the frame's start)");
                    return;
                }
                if (length >= 0) {
                    break;
                }
                if (pos + view.limit() >= fileSize) {
                    builder.damage(pos, "the file ends inside this frame (" + (fileSize - pos) + " bytes left, no end of image)");
                    return;
                }
                if (view.limit() >= MAX_FRAME_BYTES) {
                    builder.damage(pos, "no end of image within " + MAX_FRAME_BYTES + " bytes");
                    return;
                }
                want = (int) Math.min(MAX_FRAME_BYTES, 2L * view.limit());
            }
            builder.add(pos, length);
            pos += length;
        }
    }

    private static void scanLengthPrefixed(Window window, long fileSize, Builder builder) throws IOException {
        long pos = 0;
        int header = MjpegFormat.LENGTH_DIGITS;
        while (pos < fileSize) {
            ByteBuffer view = window.view(pos, header + 99_999);
            if (view.limit() < header) {
                builder.damage(pos, "the file ends inside a length header (" + view.limit() + " bytes left)");
                return;
            }
            int length = MjpegFormat.parseLength(view, 0);
            if (length < 0) {
                builder.damage(pos, "bad length header " + hex(view, 0, header) + ", expected 5 ASCII digits");
                return;
            }
            if (length == 0) {
                builder.damage(pos, "the length header gives 0 bytes");
                return;
            }
            if (view.limit() - header < length) {
                builder.damage(pos, "the length header gives " + length + " bytes but only " + (view.limit() - header)
                        + " are left in the file");
                return;
            }
            ByteBuffer image = view.duplicate().position(header).limit(header + length).slice();
            int imageLength;
            try {
                imageLength = JpegScanner.imageLength(image, 0);
            } catch (JpegException e) {
                builder.damage(pos, "not a JPEG image after the length header: " + e.getMessage()
                        + " (byte offsets counted from the image's start)");
                return;
            }
            if (imageLength < 0) {
                builder.damage(pos, "the JPEG image does not end within the " + length + " bytes its length header gives");
                return;
            }
            // Bytes after the image's end but inside the declared length are padding; they are not served.
            builder.add(pos + header, imageLength);
            pos += header + length;
        }
    }

    private static String hex(ByteBuffer buf, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to && i < buf.limit(); i++) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02X", buf.get(i) & 0xFF));
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }

    /** The file as named in messages. */
    String file() {
        return file;
    }

    /** The layout the file was detected as. */
    MjpegFormat format() {
        return format;
    }

    /** The number of playable frames (those before any damage). */
    int count() {
        return offsets.length;
    }

    /** The byte offset of frame {@code i}'s JPEG image. */
    long offset(int i) {
        return offsets[i];
    }

    /** The length of frame {@code i}'s JPEG image, SOI to EOI. */
    int length(int i) {
        return lengths[i];
    }

    /** Picture size from the first frame's SOF segment ({@link JpegSize#UNKNOWN} if there is none). */
    JpegSize size() {
        return size;
    }

    /** Where the file stops being playable, if it is damaged. */
    Optional<Damage> damage() {
        return Optional.ofNullable(damage);
    }

    /** Whether the file still has the size and modification time it had when indexed. */
    boolean matches(BasicFileAttributes attributes) {
        return attributes.size() == fileSize && attributes.lastModifiedTime().equals(modified);
    }

    /** Presentation time of frame {@code i} at {@code frameRate}: i / frameRate, in nanoseconds. */
    static long timestampNanos(long i, double frameRate) {
        return Math.round(i * 1_000_000_000d / frameRate);
    }

    /** The collected frames so far, and the damage that ended the scan. */
    private static final class Builder {
        long[] offsets = new long[1024];
        int[] lengths = new int[1024];
        int count;
        Damage damage;

        void add(long offset, int length) {
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            offsets[count] = offset;
            lengths[count] = length;
            count++;
        }

        void damage(long offset, String problem) {
            damage = new Damage(count, offset, problem);
        }
    }

    /**
     * A region of the file held in one direct buffer and refilled by positional reads, so scanning never
     * holds more than the largest frame (twice over) in memory.
     */
    private static final class Window {
        private final FileChannel channel;
        private final long fileSize;
        private ByteBuffer buf = ByteBuffer.allocateDirect(INITIAL_WINDOW);
        private long start;
        private int length;

        Window(FileChannel channel, long fileSize) {
            this.channel = channel;
            this.fileSize = fileSize;
        }

        /**
         * The file from {@code pos} to the end of the window, as a buffer whose index 0 is {@code pos}; it
         * holds at least {@code want} bytes or, if the file ends first, everything up to the end.
         */
        ByteBuffer view(long pos, int want) throws IOException {
            long available = Math.min(want, fileSize - pos);
            if (pos < start || pos + available > start + length) {
                fill(pos, (int) available);
            }
            return buf.duplicate().limit(length).position((int) (pos - start)).slice();
        }

        private void fill(long pos, int want) throws IOException {
            if (want > buf.capacity()) {
                buf = ByteBuffer.allocateDirect(Math.max(want, 2 * buf.capacity()));
            }
            int limit = (int) Math.min(buf.capacity(), fileSize - pos);
            buf.clear().limit(limit);
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    break; // the file shrank while being indexed; what was read is indexed
                }
            }
            start = pos;
            length = buf.position();
        }
    }
}
