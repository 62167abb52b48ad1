package org.tributary.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;

/**
 * {@code /api/bundles}: list, install (from a URL or an uploaded jar), start, stop, update and uninstall, straight
 * through the framework. Changes answer only where {@link RestConfig#bundleManagement()} allows (loopback by
 * default); listing is open. The framework and this bundle refuse to be stopped or removed from here: a request
 * cannot outlive the servlet answering it.
 */
final class BundleResources {

    private static final long REFRESH_SECONDS = 30;

    private final Backends backends;

    BundleResources(Backends backends) {
        this.backends = backends;
    }

    void handle(Exchange x) throws Problem, IOException {
        List<String> p = x.path;
        BundleContext context = backends.context();
        if (p.size() == 1) {
            switch (x.method) {
                case "GET" -> x.json(200, Arrays.stream(context.getBundles()).map(b -> Views.bundle(b, null)).toList());
                case "POST" -> {
                    requireManagement(x, backends.config());
                    install(x, context);
                }
                default -> throw Problem.methodNotAllowed(x.method, "GET", "POST");
            }
            return;
        }
        Bundle bundle = find(context, p.get(1));
        if (p.size() == 2) {
            switch (x.method) {
                case "GET" -> x.json(200, Views.bundle(bundle, null));
                case "DELETE" -> {
                    requireManagement(x, backends.config());
                    uninstall(x, context, bundle);
                }
                default -> throw Problem.methodNotAllowed(x.method, "GET", "DELETE");
            }
            return;
        }
        if (p.size() != 3 || !List.of("start", "stop", "update").contains(p.get(2))) {
            throw ApiServlet.notFound(x);
        }
        if (!x.method.equals("POST")) {
            throw Problem.methodNotAllowed(x.method, "POST");
        }
        requireManagement(x, backends.config());
        String action = p.get(2);
        try {
            switch (action) {
                case "start" -> {
                    if (isFragment(bundle)) {
                        throw new Problem(409, "bundle " + bundle.getBundleId() + " (" + bundle.getSymbolicName()
                                + ") is a fragment; fragments are not started, their host is");
                    }
                    bundle.start();
                }
                case "stop" -> {
                    protect(context, bundle, "stopped");
                    bundle.stop();
                }
                default -> update(x, context, bundle);
            }
        } catch (BundleException | IllegalStateException e) {
            throw new Problem(409, "bundle " + bundle.getBundleId() + " (" + bundle.getSymbolicName() + ") cannot be "
                    + (action.equals("stop") ? "stopped" : action.equals("start") ? "started" : "updated") + ": "
                    + message(e));
        }
        x.json(200, Views.bundle(bundle, null));
    }

    /** 403 unless bundle management is allowed for this client. */
    static void requireManagement(Exchange x, RestConfig config) throws Problem {
        String mode = config.bundleManagement() == null ? "loopback" : config.bundleManagement().strip()
                .toLowerCase(Locale.ROOT);
        switch (mode) {
            case "any" -> {
                return;
            }
            case "off" -> throw new Problem(403, "bundle and feature management over HTTP is off; set "
                    + "bundleManagement to loopback or any in configuration " + RestComponent.PID + ", or use the shell");
            default -> {
                if (!x.fromLoopback()) {
                    throw new Problem(403, "bundle and feature management answers only to clients on this machine; "
                            + "set bundleManagement=any in configuration " + RestComponent.PID + " to allow others");
                }
            }
        }
    }

    private void install(Exchange x, BundleContext context) throws Problem, IOException {
        String type = x.mediaType();
        Bundle installed;
        boolean start = true;
        try {
            if (type.equals("application/json")) {
                JsonNode body = x.json();
                String location = Exchange.requiredText(body, "location");
                checkLocation(location);
                JsonNode startNode = body.get("start");
                start = startNode == null || startNode.asBoolean(true);
                installed = context.installBundle(location);
            } else if (type.equals("multipart/form-data")) {
                Part part = jarPart(x);
                byte[] jar = readPart(part, backends.config().maxUploadBytes());
                installed = context.installBundle(uploadLocation(part.getSubmittedFileName(), jar),
                        new ByteArrayInputStream(jar));
            } else if (type.equals("application/java-archive") || type.equals("application/octet-stream")
                    || type.equals("application/zip") || type.equals("application/x-java-archive")) {
                byte[] jar = x.readBody(backends.config().maxUploadBytes());
                installed = context.installBundle(uploadLocation(x.request.getHeader("X-File-Name"), jar),
                        new ByteArrayInputStream(jar));
            } else {
                throw new Problem(415, "install a bundle with application/json {\"location\": \"URL\"}, a "
                        + "multipart/form-data upload with a file field 'jar', or the jar itself as "
                        + "application/java-archive" + (type.isEmpty() ? "" : "; not " + type));
            }
        } catch (BundleException e) {
            throw new Problem(e.getType() == BundleException.DUPLICATE_BUNDLE_ERROR ? 409 : 400,
                    "the bundle cannot be installed: " + message(e));
        }
        String startError = null;
        if (start && !isFragment(installed)) {
            try {
                installed.start();
            } catch (BundleException | IllegalStateException e) {
                // Installed stays installed: a missing dependency is often installed next, then this one started.
                startError = message(e);
            }
        }
        x.response.setHeader("Location", "/api/bundles/" + installed.getBundleId());
        x.json(201, Views.bundle(installed, startError));
    }

    private void update(Exchange x, BundleContext context, Bundle bundle) throws Problem, IOException, BundleException {
        protect(context, bundle, "updated");
        String type = x.mediaType();
        if (!x.hasBody()) {
            bundle.update();
        } else if (type.equals("application/json")) {
            String location = Exchange.requiredText(x.json(), "location");
            checkLocation(location);
            try (InputStream in = URI.create(location).toURL().openStream()) {
                bundle.update(in);
            }
        } else if (type.equals("multipart/form-data")) {
            bundle.update(new ByteArrayInputStream(readPart(jarPart(x), backends.config().maxUploadBytes())));
        } else {
            bundle.update(new ByteArrayInputStream(x.readBody(backends.config().maxUploadBytes())));
        }
        refresh(context, List.of(bundle));
    }

    private void uninstall(Exchange x, BundleContext context, Bundle bundle) throws Problem, IOException {
        protect(context, bundle, "uninstalled");
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            throw new Problem(409, "bundle " + bundle.getBundleId() + " cannot be uninstalled: " + message(e));
        }
        // Without a refresh its packages stay wired to the bundles that used them.
        refresh(context, null);
        x.noContent();
    }

    private static void refresh(BundleContext context, Collection<Bundle> bundles) throws Problem {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(bundles,
                e -> {
                    if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED || e.getType() == FrameworkEvent.ERROR) {
                        done.countDown();
                    }
                });
        try {
            if (!done.await(REFRESH_SECONDS, TimeUnit.SECONDS)) {
                throw new Problem(503, "the framework refresh did not finish within " + REFRESH_SECONDS
                        + " s; GET /api/bundles shows the state");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "interrupted while the framework refreshed");
        }
    }

    private static void protect(BundleContext context, Bundle bundle, String what) throws Problem {
        if (bundle.getBundleId() == 0) {
            throw new Problem(409, "the framework (bundle 0) cannot be " + what + " over HTTP");
        }
        if (bundle.getBundleId() == context.getBundle().getBundleId()) {
            throw new Problem(409, "bundle " + bundle.getBundleId() + " (" + bundle.getSymbolicName() + ") answers "
                    + "this request and cannot be " + what + " by it; use the shell");
        }
    }

    private static void checkLocation(String location) throws Problem {
        String scheme;
        try {
            scheme = URI.create(location).getScheme();
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "'location' is not a URL: " + e.getMessage(), "location");
        }
        if (scheme == null || !List.of("http", "https", "file").contains(scheme.toLowerCase(Locale.ROOT))) {
            throw new Problem(400, "'location' must be an http, https or file URL, not '" + location + "'",
                    "location");
        }
    }

    private static Part jarPart(Exchange x) throws Problem, IOException {
        try {
            for (Part part : x.request.getParts()) {
                if (part.getSubmittedFileName() != null) {
                    return part;
                }
            }
        } catch (ServletException | IllegalStateException e) {
            throw new Problem(400, "the upload cannot be read: " + e.getMessage());
        }
        throw new Problem(400, "the upload has no file; send the jar as a file field (e.g. curl -F jar=@bundle.jar)",
                "jar");
    }

    private static byte[] readPart(Part part, long max) throws Problem, IOException {
        if (part.getSize() > max) {
            throw new Problem(413, "the jar has " + part.getSize() + " bytes; at most " + max + " are accepted");
        }
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } finally {
            part.delete();
        }
    }

    /** A location naming the upload and its content, so the same jar uploaded twice is the same bundle. */
    private static String uploadLocation(String fileName, byte[] jar) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jar);
            String name = fileName == null || fileName.isBlank() ? "bundle.jar"
                    : fileName.replaceAll("[^A-Za-z0-9._-]", "_");
            return "upload:" + HexFormat.of().formatHex(digest, 0, 8) + "/" + name;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static Bundle find(BundleContext context, String id) throws Problem {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw Problem.notFound("bundles are addressed by their number, not '" + id + "'; GET /api/bundles lists "
                    + "them");
        }
        Bundle b = context.getBundle(n);
        if (b == null) {
            throw Problem.notFound("no bundle " + n + "; GET /api/bundles lists them");
        }
        return b;
    }

    private static boolean isFragment(Bundle b) {
        return b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
