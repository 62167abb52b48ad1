package org.tributary.source.webcam.internal;

import java.util.Locale;
import java.util.Objects;

/**
 * What one webcam source is: its stream, which camera, and how it captures. Immutable.
 *
 * @param name the stream name
 * @param driver where the camera comes from
 * @param device the camera's index among the driver's cameras, or its name or a part of its name
 * @param width the requested picture width
 * @param height the requested picture height
 * @param frameRate frames captured per second
 * @param quality the JPEG quality, 0.05 to 1
 */
record CaptureSettings(String name, Driver driver, String device, int width, int height, double frameRate,
        double quality) {

    /** The largest picture side RTP/JPEG (RFC 2435) can describe. */
    static final int MAX_SIDE = 2040;

    /** Where cameras come from. */
    enum Driver {
        /** The library's own driver: the cameras of this machine (V4L2 on Linux, through BridJ). */
        DEFAULT("default"),
        /** Generated images, for tests and demos on machines without a camera. */
        TEST_PATTERN("test-pattern");

        private final String label;

        Driver(String label) {
            this.label = label;
        }

        /** Reads a configuration value: {@code default} (or empty) or {@code test-pattern}. */
        static Driver parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "", "default" -> DEFAULT;
                case "test-pattern", "testpattern" -> TEST_PATTERN;
                default -> throw new IllegalArgumentException("setting 'driver' must be 'default' or 'test-pattern', not '"
                        + value + "'");
            };
        }

        @Override
        public String toString() {
            return label;
        }
    }

    CaptureSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        device = device == null || device.isBlank() ? "0" : device.strip();
        if (width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("setting '" + (width < 16 || width > MAX_SIDE ? "width" : "height") + "': width and height must be 16 to " + MAX_SIDE
                    + " (RTP/JPEG's limit), got "
                    + width + "x" + height);
        }
        if (width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("setting '" + (width % 8 != 0 ? "width" : "height") + "': width and height must be multiples of 8 "
                    + "(RTP/JPEG sends sizes in 8-pixel units), got " + width + "x" + height);
        }
        if (!(frameRate >= 0.1 && frameRate <= 120)) {
            throw new IllegalArgumentException("setting 'frameRate' must be 0.1 to 120, got " + frameRate);
        }
        if (!(quality >= 0.05 && quality <= 1)) {
            throw new IllegalArgumentException("setting 'quality' must be 0.05 to 1, got " + quality);
        }
    }

    /** The device as an index, or -1 when it names the camera. */
    int deviceIndex() {
        try {
            int index = Integer.parseInt(device);
            return index < 0 ? -1 : index;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The time between two captures, in nanoseconds. */
    long periodNanos() {
        return Math.round(1_000_000_000d / frameRate);
    }
}
