package org.tributary.source.file.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A configured directory: every playable file directly in it is mounted as a stream, rescanned every
 * {@value #SCAN_SECONDS} s on the thread {@code tributary-file-directory-<n>}.
 */
@Component(name = DirectorySourceComponent.PID, configurationPid = DirectorySourceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = DirectorySourceConfig.class, factory = true)
public class DirectorySourceComponent {

    /** The factory PID of directory configurations. */
    public static final String PID = "org.tributary.source.file.directory";

    static final int SCAN_SECONDS = 2;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DirectoryWatcher watcher;

    /** Starts watching the directory; the first scan runs on the watcher thread, not here. */
    @Activate
    public DirectorySourceComponent(DirectorySourceConfig config, BundleContext context) {
        if (config.path() == null || config.path().isBlank()) {
            throw new IllegalArgumentException(PID + ": the directory is not set; set 'path'");
        }
        DirectoryMounts mounts = new DirectoryMounts(Path.of(config.path()).toAbsolutePath(), config.prefix(),
                config.frameRate(), config.loop(), new ServiceMounter(context));
        watcher = new DirectoryWatcher("tributary-file-directory-" + THREADS.incrementAndGet(), mounts,
                Duration.ofSeconds(SCAN_SECONDS), null);
    }

    /** Stops the watcher thread and unmounts every file. */
    @Deactivate
    public void deactivate() {
        watcher.close();
    }
}
