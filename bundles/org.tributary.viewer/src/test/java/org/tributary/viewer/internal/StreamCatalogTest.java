package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The stream list is optional: what the REST API lists becomes URLs, anything else an empty list. */
class StreamCatalogTest {

    @Test
    void theNamesTheRestApiListsBecomeUrlsOnTheRtspPort() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/api/streams", exchange -> {
            byte[] body = ("[{\"name\":\"demo\",\"state\":\"RUNNING\",\"media\":{\"codec\":\"JPEG\"}},"
                    + "{\"name\": \"movie.Mjpeg\", \"state\": \"RUNNING\"}]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        try {
            List<String> urls = StreamCatalog.streamUrls("rtsp://127.0.0.1:9554/demo", http.getAddress().getPort(),
                    Duration.ofSeconds(2));
            assertEquals(List.of("rtsp://127.0.0.1:9554/demo", "rtsp://127.0.0.1:9554/movie.Mjpeg"), urls);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void noRestApiIsNoList() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(List.of(), StreamCatalog.streamUrls("rtsp://127.0.0.1:8554/demo", port, Duration.ofSeconds(1)));
        assertEquals(List.of(), StreamCatalog.streamUrls("not a url", port, Duration.ofSeconds(1)));
    }

    @Test
    void plainArraysOfNamesAndUnreadableAnswersAreTolerated() {
        assertEquals(List.of("a", "b"), StreamCatalog.names("[\"a\", \"b\"]"));
        assertEquals(List.of(), StreamCatalog.names("<html>nope</html>"));
        assertEquals(List.of(), StreamCatalog.names(null));
    }
}
