package org.tributary.source.file.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;

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

    // Both null when the configuration is not usable: then there is no stream, only the log line saying why.
    private final FileMedia media;
    private final Mounter.Mount mount;

    /**
     * Indexes the file and mounts it; a configuration that cannot make a stream (written by hand, e.g. a file in
     * deploy/) mounts nothing and is named in one log line with the setting at fault.
     */
    @Activate
    public FileSourceComponent(FileSourceConfig config, BundleContext context, Map<String, Object> properties) {
        String name = "";
        Path path = null;
        try {
            name = StreamNames.checkPath("setting 'name'", config.name());
            if (name.isEmpty()) {
                throw new IllegalArgumentException("setting 'name' is empty; set it to the stream's name");
            }
            if (config.path() == null || config.path().isBlank()) {
                throw new IllegalArgumentException("setting 'path' is empty; set it to the MJPEG file to play");
            }
            path = Path.of(config.path()).toAbsolutePath();
            if (!(config.frameRate() > 0) || Double.isInfinite(config.frameRate())) {
                throw new IllegalArgumentException("setting 'frameRate' must be more than 0, got " + config.frameRate());
            }
        } catch (IllegalArgumentException e) {
            Object pid = properties.get("service.pid");
            Object file = properties.get("felix.fileinstall.filename");
            LOG.log(Level.WARNING, "configuration {0}{1}: {2}. {3}", pid == null ? PID : pid,
                    file == null ? "" : " (" + file + ")", e.getMessage(),
                    name.isEmpty() ? "No stream is mounted" : "Stream '" + name + "' is not mounted");
            media = null;
            mount = null;
            return;
        }
        media = new FileMedia(path, config.frameRate(), config.loop(), true);
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
        if (mount == null) {
            return;
        }
        mount.unmount();
        media.close();
    }
}
