package org.tributary.viewer.internal;

import java.awt.GraphicsEnvironment;

/** {@code java -jar viewer.jar}: one viewer window; the program ends when it closes. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ViewerArguments arguments;
        try {
            arguments = ViewerArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(ViewerArguments.USAGE);
            System.exit(2);
            return;
        }
        if (arguments.note() != null) {
            System.err.println(arguments.note());
        }
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("no display: set DISPLAY (the viewer needs a desktop or Xvfb)");
            System.exit(1);
            return;
        }
        // The window's own threads are gone once it has closed; AWT's and GStreamer's would keep the JVM alive.
        ViewerWindow.open(arguments.url(), arguments.transport(), true, arguments.httpPort(), () -> System.exit(0));
    }
}
