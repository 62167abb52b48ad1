package org.tributary.source.webcam.internal;

import java.awt.Dimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import com.github.sarxos.webcam.Webcam;
import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamException;

import org.tributary.source.webcam.internal.CaptureSettings.Driver;

/**
 * Webcam Capture's global state, owned in one place: installs {@link CombinedDriver} while any webcam source
 * exists, finds the camera a source names, and lets each camera serve one stream at a time.
 *
 * <p>Thread-safe. Calls into the library that list cameras are serialized here, because the library's own lists
 * are not safe against concurrent rescans.
 */
final class Cameras {

    /** The longest wait for the library to list the machine's cameras. */
    static final long DISCOVERY_TIMEOUT_MILLIS = 5_000;

    private static final Object LOCK = new Object();
    // Guarded by LOCK.
    private static CombinedDriver driver;
    private static int users;
    private static boolean listed;

    // Camera name -> the stream using it.
    private static final Map<String, String> IN_USE = new ConcurrentHashMap<>();

    private Cameras() {
    }

    /** A webcam source exists: the library uses our driver from now on. */
    static void acquire() {
        synchronized (LOCK) {
            if (users++ == 0) {
                driver = new CombinedDriver();
                listed = false;
                Webcam.setDriver(driver);
            }
        }
    }

    /**
     * A webcam source is gone. With the last one the library drops our driver, so that it keeps no reference to
     * this bundle's classes once the bundle stops.
     */
    static void release() {
        synchronized (LOCK) {
            if (users > 0 && --users == 0) {
                Webcam.resetDriver();
                driver = null;
            }
        }
    }

    /**
     * Finds the camera a source names and claims it for {@code stream}; {@link #free} gives it back.
     *
     * @throws CameraException with a message for a person when there is no such camera or it is in use
     */
    static Webcam claim(CaptureSettings settings) throws CameraException {
        Webcam webcam;
        synchronized (LOCK) {
            if (driver == null) {
                throw new CameraException("the webcam source of stream " + settings.name() + " has been removed");
            }
            if (settings.driver() == Driver.DEFAULT) {
                driver.enableCameras();
            }
            List<Webcam> all = list(settings);
            List<Webcam> candidates = new ArrayList<>();
            List<WebcamDevice> testPattern = driver.testPatternDevices();
            for (Webcam w : all) {
                if (testPattern.contains(w.getDevice()) == (settings.driver() == Driver.TEST_PATTERN)) {
                    candidates.add(w);
                }
            }
            webcam = pick(candidates, settings);
        }
        String user = IN_USE.putIfAbsent(webcam.getName(), settings.name());
        if (user != null) {
            throw new CameraException("camera '" + webcam.getName() + "' is in use by stream " + user
                    + "; a camera serves one stream (give stream " + settings.name() + " another 'device')");
        }
        return webcam;
    }

    /** Gives a claimed camera back. */
    static void free(Webcam webcam, String stream) {
        IN_USE.remove(webcam.getName(), stream);
    }

    /** Sets the requested size before opening; the camera may still pick another, which it reports once open. */
    static void requestSize(Webcam webcam, int width, int height) {
        Dimension wanted = new Dimension(width, height);
        webcam.setCustomViewSizes(wanted);
        webcam.setViewSize(wanted);
    }

    private static List<Webcam> list(CaptureSettings settings) throws CameraException {
        try {
            if (listed) {
                // Once listed, the library keeps its list; a rescan sees cameras plugged in or out since.
                Webcam.getDiscoveryService().scan();
            }
            List<Webcam> all = Webcam.getWebcams(DISCOVERY_TIMEOUT_MILLIS);
            listed = true;
            RuntimeException failed = driver.camerasFailed();
            if (failed != null && settings.driver() == Driver.DEFAULT) {
                throw new CameraException("listing the cameras failed: " + message(failed)
                        + " (on Linux the camera driver needs libv4l-0)", failed);
            }
            return all;
        } catch (TimeoutException e) {
            throw new CameraException("the cameras could not be listed within " + DISCOVERY_TIMEOUT_MILLIS / 1000
                    + " s", e);
        } catch (WebcamException e) {
            throw new CameraException("listing the cameras failed: " + message(e)
                    + " (on Linux the camera driver needs libv4l-0)", e);
        }
    }

    private static Webcam pick(List<Webcam> candidates, CaptureSettings settings) throws CameraException {
        int index = settings.deviceIndex();
        if (index >= 0 && index < candidates.size()) {
            return candidates.get(index);
        }
        if (index < 0) {
            for (Webcam w : candidates) {
                if (w.getName().equals(settings.device())) {
                    return w;
                }
            }
            for (Webcam w : candidates) {
                if (w.getName().contains(settings.device())) {
                    return w;
                }
            }
        }
        List<String> names = candidates.stream().map(Webcam::getName).toList();
        throw new CameraException("no camera '" + settings.device() + "' (driver " + settings.driver() + "): "
                + (names.isEmpty() ? "no camera found" : "found " + names.size() + ": " + String.join(", ", names)));
    }

    /** The most telling message of an exception and its causes. */
    static String message(Throwable e) {
        Throwable t = e;
        String text = String.valueOf(e.getMessage());
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                text = t.getMessage();
            }
        }
        return text;
    }

    /** A camera cannot be had; the message is for a person. */
    static final class CameraException extends Exception {
        private static final long serialVersionUID = 1L;

        CameraException(String message) {
            super(message);
        }

        CameraException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
