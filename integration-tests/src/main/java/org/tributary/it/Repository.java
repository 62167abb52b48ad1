package org.tributary.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;

/** The bundle repository the runtime module builds (Maven layout), where tests install bundles from. */
public final class Repository {

    private Repository() {
    }

    /** The jar of a Tributary bundle, e.g. {@code org.tributary.source.file}. */
    public static Path bundle(BundleContext context, String artifactId) throws IOException {
        Path dir = Path.of(context.getProperty("tributary.repository"), "org", "tributary", artifactId);
        try (Stream<Path> versions = Files.list(dir)) {
            Path versionDir = versions.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IOException("no version of " + artifactId + " in " + dir));
            String file = artifactId + "-" + versionDir.getFileName() + ".jar";
            return versionDir.resolve(file);
        }
    }

    /** The location string to install a Tributary bundle with. */
    public static String location(BundleContext context, String artifactId) throws IOException {
        return bundle(context, artifactId).toUri().toString();
    }
}
