package org.tributary.source.file.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The media directory served with no configuration (DESIGN.md, "Defaults"): the framework property
 * {@value #MEDIA_PROPERTY} names it (default {@value #MEDIA_DEFAULT}, relative to the working directory),
 * and {@value #DEMO_PROPERTY}{@code =false} turns the demo clip and the {@code demo} stream off.
 */
@Component(name = "org.tributary.source.file.media", configurationPolicy = ConfigurationPolicy.IGNORE, service = {})
public class MediaLibraryComponent {

    /** Framework property: the media directory. */
    public static final String MEDIA_PROPERTY = "tributary.media";

    /** Where the media directory is when {@value #MEDIA_PROPERTY} is not set. */
    public static final String MEDIA_DEFAULT = "media";

    /** Framework property: {@code false} turns the demo clip off. */
    public static final String DEMO_PROPERTY = "tributary.demo";

    private final MediaLibrary library;

    /** Creates the directory if missing and starts serving it; the demo clip is written off this thread. */
    @Activate
    public MediaLibraryComponent(BundleContext context) {
        String directory = context.getProperty(MEDIA_PROPERTY);
        if (directory == null || directory.isBlank()) {
            directory = MEDIA_DEFAULT;
        }
        boolean demo = !"false".equalsIgnoreCase(String.valueOf(context.getProperty(DEMO_PROPERTY)).strip());
        library = new MediaLibrary(Path.of(directory).toAbsolutePath(), demo, new ServiceMounter(context));
    }

    /** Stops the directory thread and unmounts everything. */
    @Deactivate
    public void deactivate() {
        library.close();
    }
}
