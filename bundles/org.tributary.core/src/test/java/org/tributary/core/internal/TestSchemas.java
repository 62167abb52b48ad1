package org.tributary.core.internal;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Metatype descriptions built by hand, as the metatype service would serve them from a bundle's XML. */
final class TestSchemas {

    private TestSchemas() {
    }

    record Ad(String id, String name, int type, int cardinality, String[] defaults, boolean required,
            String[] options, Function<String, String> validator) implements AttributeDefinition {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return "";
        }

        @Override
        public int getCardinality() {
            return cardinality;
        }

        @Override
        public int getType() {
            return type;
        }

        @Override
        public String[] getOptionValues() {
            return options;
        }

        @Override
        public String[] getOptionLabels() {
            return options;
        }

        @Override
        public String validate(String value) {
            return validator == null ? null : validator.apply(value);
        }

        @Override
        public String[] getDefaultValue() {
            return defaults;
        }
    }

    record Ocd(String id, List<Ad> ads) implements ObjectClassDefinition {

        @Override
        public String getName() {
            return id;
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return "";
        }

        @Override
        public AttributeDefinition[] getAttributeDefinitions(int filter) {
            return ads.stream().filter(ad -> filter == ALL || (filter == REQUIRED) == ad.required())
                    .toArray(AttributeDefinition[]::new);
        }

        @Override
        public InputStream getIcon(int size) {
            return null;
        }
    }

    static Ad ad(String id, int type, String... defaults) {
        return new Ad(id, id, type, 0, defaults.length == 0 ? null : defaults, true, null, null);
    }

    /** Like Felix's validation of a {@code min}: an error text below it, "" when fine. */
    static Function<String, String> atLeast(double min) {
        return value -> Double.parseDouble(value) < min ? "Value " + value + " is less than the minimum " + min : "";
    }

    /** The metatype the file source bundle declares for {@code org.tributary.source.file} (FileSourceConfig). */
    static Ocd file() {
        return new Ocd("org.tributary.source.file", Arrays.asList(
                new Ad("name", "Stream name", AttributeDefinition.STRING, 0, null, true, null, null),
                new Ad("path", "File", AttributeDefinition.STRING, 0, null, true, null, null),
                new Ad("frameRate", "Frame rate", AttributeDefinition.DOUBLE, 0, new String[] {"25.0"}, true, null,
                        atLeast(0.001)),
                new Ad("loop", "Loop", AttributeDefinition.BOOLEAN, 0, new String[] {"true"}, true, null, null)));
    }
}
