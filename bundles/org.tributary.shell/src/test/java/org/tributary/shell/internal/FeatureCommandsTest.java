package org.tributary.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tributary.api.FeatureException;
import org.tributary.api.FeatureInfo;
import org.tributary.api.Features;

class FeatureCommandsTest {

    private final FeatureCommands commands = new FeatureCommands();

    @Test
    void featuresListsEachWithItsStateAndBundleCount() {
        commands.features = new Installer();

        assertEquals("""
                FEATURE  STATE      BUNDLES
                core     installed        5
                sources  -                2""", commands.features());
    }

    @Test
    void installAndUninstallNameTheFeatureOrGiveTheInstallersReasonOnOneLine() {
        commands.features = new Installer();

        assertEquals("installed feature sources", commands.feature("install", "sources"));
        assertEquals("unknown feature 'nope'", commands.feature("uninstall", "nope"));
    }

    @Test
    void aWrongCallGetsTheUsage() {
        commands.features = new Installer();

        assertEquals(FeatureCommands.USAGE, commands.feature());
        assertEquals(FeatureCommands.USAGE, commands.feature("install"));
        assertEquals("unknown action 'add'; " + FeatureCommands.USAGE, commands.feature("add", "web"));
    }

    @Test
    void withoutTheInstallerTheCommandsSaySoInOneLine() {
        assertEquals(FeatureCommands.ABSENT, commands.features());
        assertEquals(FeatureCommands.ABSENT, commands.feature("install", "web"));
    }

    private static final class Installer implements Features {

        @Override
        public List<FeatureInfo> list() {
            return List.of(new FeatureInfo("core", "org.tributary:core:osgifeature:1.0.0", true, List.of("a", "b", "c", "d", "e")),
                    new FeatureInfo("sources", "org.tributary:sources:osgifeature:1.0.0", false, List.of("f", "g")));
        }

        @Override
        public FeatureInfo install(String name) throws FeatureException {
            return list().stream().filter(f -> f.name().equals(name)).findFirst()
                    .orElseThrow(() -> new FeatureException("unknown feature '" + name + "'"));
        }

        @Override
        public FeatureInfo uninstall(String name) throws FeatureException {
            return install(name);
        }
    }
}
