package org.tributary.source.file.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured MJPEG file mounted as a stream. Activation indexes the file so the stream's
 * {@code MediaInfo} is complete from the start; a file that cannot be read yet is mounted all the same
 * (size 0x0, duration 0) and listed FAILED with the reason instead of vanishing; it plays once the file is there.
 */
@Component(name = FileSourceComponent.PID, configurationPid = FileSourceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = FileSourceConfig.class, factory = true)
public class FileSourceComponent {

    /** The factory PID of file configurations. */
    public static final String PID = "org.tributary.source.file";

    private static final System.Logger LOG = System.getLogger(FileSourceComponent.class.getName());

    private final FileMedia media;
    private final Mounter.Mount mount;

    /** Indexes the file and mounts it. */
    @Activate
    public FileSourceComponent(FileSourceConfig config, BundleContext context) {
        String name = StreamNames.checkPath("stream name", config.name());
        if (name.isEmpty()) {
            throw new IllegalArgumentException(PID + ": the stream name is empty; set 'name'");
        }
        if (config.path() == null || config.path().isBlank()) {
            throw new IllegalArgumentException(PID + " '" + name + "': the file is not set; set 'path'");
        }
        media = new FileMedia(Path.of(config.path()).toAbsolutePath(), config.frameRate(), config.loop(), true);
        try {
            media.index();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "stream {0}: {1}", name, e.getMessage());
        }
        mount = new ServiceMounter(context).mount(name, media);
    }

    /** Unmounts the stream and closes every reader still open on the file. */
    @Deactivate
    public void deactivate() {
        mount.unmount();
        media.close();
    }
}
