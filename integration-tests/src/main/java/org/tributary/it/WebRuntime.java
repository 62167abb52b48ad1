package org.tributary.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The streaming runtime with Felix HTTP on a free port of 127.0.0.1 and the REST bundle installed, shared by the
 * HTTP tests of one framework run. Felix HTTP starts disabled (it.bndrun) and is given its port through Config
 * Admin here, since a free port is only known at run time.
 */
public final class WebRuntime {

    /** Felix HTTP's configuration PID. */
    public static final String HTTP_PID = "org.apache.felix.http";

    public static final ObjectMapper JSON = new ObjectMapper();

    private static WebRuntime instance;

    private final TributaryRuntime runtime;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebRuntime(TributaryRuntime runtime, int port) {
        this.runtime = runtime;
        this.port = port;
    }

    /** The runtime with the REST API answering, started on first use. */
    public static synchronized WebRuntime get() throws Exception {
        if (instance == null) {
            TributaryRuntime runtime = TributaryRuntime.get();
            int port = TributaryRuntime.freeTcpPort();
            TributaryRuntime.configure(runtime.context(), HTTP_PID, Map.of("org.apache.felix.http.enable", true,
                    "org.osgi.service.http.port", port, "org.apache.felix.http.host", "127.0.0.1"));
            WebRuntime web = new WebRuntime(runtime, port);
            web.restBundle();
            web.awaitApi(Duration.ofSeconds(30));
            instance = web;
        }
        return instance;
    }

    public TributaryRuntime runtime() {
        return runtime;
    }

    public int port() {
        return port;
    }

    public HttpClient client() {
        return client;
    }

    /** The REST bundle, installed and started. */
    public Bundle restBundle() throws Exception {
        return runtime.install("org.tributary.rest");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits until the REST API answers its health check. */
    public void awaitApi(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get("/api/health");
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the REST API did not answer on port " + port + " within " + timeout + ": " + last);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** A request with a JSON body. */
    public HttpResponse<String> json(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, "application/json", body);
    }

    public HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode parse(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** A person's summary of an answer, for assertion messages. */
    public static String show(HttpResponse<String> r) {
        return r.request().method() + " " + r.uri() + " -> " + r.statusCode() + " "
                + r.headers().firstValue("Content-Type").orElse("") + "\n" + r.body();
    }
}
