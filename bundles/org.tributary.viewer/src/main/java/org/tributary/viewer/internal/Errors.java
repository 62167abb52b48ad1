package org.tributary.viewer.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;

import org.tributary.rtsp.client.RtspException;

/** Turns what went wrong while opening a URL into one line a person can act on. */
public final class Errors {

    private Errors() {
    }

    /** The message for a failure to open {@code url}. */
    public static String describe(String url, Throwable error) {
        // The client wraps socket failures in IOExceptions of its own; the cause says which it was.
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RtspException || t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                error = t;
                break;
            }
        }
        String where = hostAndPort(url);
        if (error instanceof RtspException) {
            RtspException e = (RtspException) error;
            switch (e.status()) {
                case 401:
                    return url + " needs a user name and password the server accepts (401 " + e.reason()
                            + "): put user:password@ before the host";
                case 404:
                    return "no stream at " + url + " (404 " + e.reason() + "): check the path";
                case 461:
                    return where + " refused the transport (461 " + e.reason() + "): try the other one";
                case 503:
                    return where + " is full (503 " + e.reason() + "): try again later";
                default:
                    return where + " answered " + e.status() + " " + e.reason() + " for " + url;
            }
        }
        if (error instanceof ConnectException) {
            return "cannot connect to " + where + ": connection refused (is the server running, is the port right?)";
        }
        if (error instanceof UnknownHostException) {
            return "unknown host in " + url + ": " + error.getMessage();
        }
        if (error instanceof NoRouteToHostException) {
            return "no route to " + where;
        }
        if (error instanceof SocketTimeoutException) {
            return where + " did not answer in time";
        }
        if (error instanceof IllegalArgumentException) {
            return "not an RTSP URL: " + url + " (rtsp://host[:port]/path)";
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.toString() : message;
    }

    private static String hostAndPort(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() != null) {
                return uri.getHost() + ":" + (uri.getPort() < 0 ? 554 : uri.getPort());
            }
        } catch (IllegalArgumentException e) {
            // fall through: the whole URL says it
        }
        return url;
    }
}
