package org.tributary.runtime.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Objects;
import java.util.Properties;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Makes a {@code FACTORYPID~NAME.cfg} file in the deploy directory the named factory configuration
 * {@code FACTORYPID~NAME} (OSGi Configuration Admin 1.6, {@link ConfigurationAdmin#getFactoryConfiguration(String,
 * String, String)}), as {@code FACTORYPID-NAME.cfg} already is through File Install. File Install 3.7 takes the
 * {@code ~} spelling for a plain PID, which no factory component ever sees; this installer is ranked above File
 * Install's own, so those files come here. Changing the file updates the configuration; deleting it deletes the
 * configuration, also when that happened while the runtime was not running.
 *
 * <p>The file is {@code key=value} lines ({@link Properties} syntax); every value is a string, as with File
 * Install's {@code .cfg} files.
 */
@Component(service = ArtifactInstaller.class, property = Constants.SERVICE_RANKING + ":Integer=100")
public final class NamedFactoryConfigInstaller implements ArtifactInstaller {

    /** Configuration property: the deploy file a configuration came from (its URI). */
    static final String SOURCE_FILE = "tributary.deploy.file";

    private static final System.Logger LOG = System.getLogger(NamedFactoryConfigInstaller.class.getName());

    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public NamedFactoryConfigInstaller(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        removeOrphans();
    }

    /** {@code FACTORYPID~NAME.cfg}: the factory PID and the name, or null for any other file name. */
    static String[] parse(String fileName) {
        if (!fileName.endsWith(".cfg")) {
            return null;
        }
        String pid = fileName.substring(0, fileName.length() - ".cfg".length());
        int tilde = pid.indexOf('~');
        if (tilde <= 0 || tilde == pid.length() - 1) {
            return null;
        }
        return new String[] { pid.substring(0, tilde), pid.substring(tilde + 1) };
    }

    @Override
    public boolean canHandle(File artifact) {
        return parse(artifact.getName()) != null;
    }

    @Override
    public void install(File artifact) throws Exception {
        apply(artifact);
    }

    @Override
    public void update(File artifact) throws Exception {
        apply(artifact);
    }

    @Override
    public void uninstall(File artifact) throws Exception {
        String[] id = parse(artifact.getName());
        Configuration c = existing(id[0] + "~" + id[1]);
        if (c != null) {
            LOG.log(Level.INFO, "deleting configuration {0}: {1} was removed", c.getPid(), artifact);
            c.delete();
        }
    }

    private void apply(File artifact) throws IOException {
        String[] id = parse(artifact.getName());
        Properties read = new Properties();
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            read.load(in);
        }
        Hashtable<String, Object> wanted = new Hashtable<>();
        for (String key : read.stringPropertyNames()) {
            wanted.put(key, read.getProperty(key).strip());
        }
        wanted.put(SOURCE_FILE, artifact.getAbsoluteFile().toURI().toString());
        Configuration c = configurationAdmin.getFactoryConfiguration(id[0], id[1], "?");
        if (c.getFactoryPid() == null) {
            // A plain configuration of that PID, as File Install 3.7 made of such a file before: replace it.
            c.delete();
            c = configurationAdmin.getFactoryConfiguration(id[0], id[1], "?");
        }
        Dictionary<String, Object> now = c.getProperties();
        if (now != null && sameSettings(now, wanted)) {
            return;
        }
        LOG.log(Level.INFO, "{0} configuration {1} from {2}", now == null ? "creating" : "updating", c.getPid(),
                artifact);
        c.update(wanted);
    }

    private static boolean sameSettings(Dictionary<String, Object> now, Hashtable<String, Object> wanted) {
        Hashtable<String, Object> current = new Hashtable<>();
        for (Enumeration<String> keys = now.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.equals(Constants.SERVICE_PID) && !key.equals(ConfigurationAdmin.SERVICE_FACTORYPID)) {
                current.put(key, now.get(key));
            }
        }
        return current.equals(wanted);
    }

    private Configuration existing(String pid) throws IOException {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Deletes the configurations of deploy files that are gone (deleted while the runtime was stopped). */
    private void removeOrphans() {
        try {
            Configuration[] all = configurationAdmin.listConfigurations("(" + SOURCE_FILE + "=*)");
            if (all == null) {
                return;
            }
            for (Configuration c : all) {
                Object source = c.getProperties() == null ? null : c.getProperties().get(SOURCE_FILE);
                File file = source == null ? null : new File(java.net.URI.create(Objects.toString(source)));
                if (file != null && !file.isFile()) {
                    LOG.log(Level.INFO, "deleting configuration {0}: {1} is gone", c.getPid(), file);
                    c.delete();
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot look for configurations of deleted deploy files: {0}", e.toString());
        }
    }

    private static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '(' || ch == ')' || ch == '*') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }
}
