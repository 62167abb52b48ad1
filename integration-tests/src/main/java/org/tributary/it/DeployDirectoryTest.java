package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration files dropped into a running runtime's {@code deploy/} create streams, in both spellings of a
 * factory configuration ({@code FACTORYPID~NAME.cfg} as in the README and File Install's {@code FACTORYPID-NAME.cfg});
 * deleting the file takes the stream away.
 */
class DeployDirectoryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void bothSpellingsOfAFactoryConfigurationPlayAndGoWithTheirFile(@TempDir Path dir) throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(dir, Map.of(), List.of())) {
            runtime.awaitLine("Tributary ready:", Duration.ofSeconds(120));
            Path clip = dir.resolve("media").resolve("movie.Mjpeg").toAbsolutePath();
            assertEquals(404, runtime.describeStatus("clip"));
            assertEquals(404, runtime.describeStatus("clip2"));

            Path tilde = runtime.deploy().resolve("org.tributary.source.file~clip.cfg");
            Path dash = runtime.deploy().resolve("org.tributary.source.file-clip2.cfg");
            Files.writeString(tilde, "name=clip\npath=" + clip + "\nframeRate=15\n");
            Files.writeString(dash, "name=clip2\npath=" + clip + "\nframeRate=15\n");

            runtime.awaitDescribe("clip", 200, PATIENCE);
            runtime.awaitDescribe("clip2", 200, PATIENCE);
            assertEquals(20, runtime.decodedFrames("clip", 20), "frames of /clip decoded");
            assertEquals(20, runtime.decodedFrames("clip2", 20), "frames of /clip2 decoded");
            assertTrue(runtime.log().contains("configuration org.tributary.source.file~clip from"), runtime.log());

            Files.delete(tilde);
            runtime.awaitDescribe("clip", 404, PATIENCE);
            assertEquals(200, runtime.describeStatus("clip2"), "the other stream stays");
            Files.delete(dash);
            runtime.awaitDescribe("clip2", 404, PATIENCE);
        }
    }
}
