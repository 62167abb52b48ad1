package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.FeatureException;
import org.tributary.api.FeatureInfo;
import org.tributary.api.Features;
import org.tributary.rtsp.client.LowerTransport;

/** Features used for real: uninstalling one takes its bundles and their streams away, installing brings them back. */
class FeatureInstallTest {

    private static final Duration SHORT = Duration.ofSeconds(60);

    static TributaryRuntime runtime;
    static Features features;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        runtime.install("org.tributary.features");
        runtime.install("org.tributary.shell");
        ServiceTracker<Features, Features> tracker = new ServiceTracker<>(runtime.context(), Features.class, null);
        tracker.open();
        features = tracker.waitForService(10_000);
        tracker.close();
        features.install("core");
    }

    @Test
    void uninstallingTheSourcesFeatureEndsItsStreamsAndInstallingItServesThemAgain() throws Exception {
        try {
            features.install("sources");
            runtime.awaitStream("demo", SHORT);
            assertTrue(info("sources").installed(), "sources is installed");

            try (Viewer viewer = Viewer.play(runtime.url("demo"), LowerTransport.TCP)) {
                viewer.awaitMoreFrames(5, SHORT);
                features.uninstall("sources");
                assertTrue(viewer.awaitEnd(SHORT), "the viewer of a stream of the feature is told (RTCP BYE)");
            }
            assertFalse(info("sources").installed(), "sources is no longer installed");
            assertTrue(Frameworks.bundles(runtime.context(), "org.tributary.source.file").isEmpty(),
                    "the file source bundle is gone");
            assertEquals(404, runtime.describeStatus("demo"), "its streams are gone");
            assertTrue(info("core").installed(), "core stays");

            features.install("sources");
            runtime.awaitStream("demo", SHORT);
            try (Viewer again = Viewer.play(runtime.url("demo"), LowerTransport.UDP)) {
                again.awaitMoreFrames(10, SHORT);
            }
        } finally {
            if (Frameworks.bundles(runtime.context(), "org.tributary.source.file").isEmpty()) {
                runtime.install("org.tributary.source.file");
            }
        }
    }

    @Test
    void anUnknownFeatureIsRefusedWithTheKnownOnes() {
        FeatureException e = org.junit.jupiter.api.Assertions.assertThrows(FeatureException.class,
                () -> features.install("nosuchfeature"));
        assertTrue(e.getMessage().contains("nosuchfeature") && e.getMessage().contains("sources"), e.getMessage());
    }

    private static FeatureInfo info(String name) {
        List<FeatureInfo> all = features.list();
        return all.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no feature " + name + " in " + all));
    }
}
