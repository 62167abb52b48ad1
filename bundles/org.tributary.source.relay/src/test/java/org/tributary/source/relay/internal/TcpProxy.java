package org.tributary.source.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between the source and an origin whose connections a test can cut while it keeps listening: a
 * connection lost on the way while the origin stays up.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    TcpProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "test-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes every connection made so far; new ones are still accepted. */
    void cut() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
        open.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket origin = new Socket();
                origin.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                open.add(client);
                open.add(origin);
                pipe(client, origin);
                pipe(origin, client);
            } catch (IOException e) {
                // the server socket closed, or the origin refused: the client sees its connection close
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed already
                }
            }
        }, "test-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }
}
