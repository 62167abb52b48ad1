package org.tributary.viewer.internal;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.viewer.PlayerListener;
import org.tributary.viewer.PlayerState;

/** A player listener that keeps what it hears, for tests to look at from their own thread. */
final class PictureRecorder implements PlayerListener {

    /** A decoded picture and when it arrived. */
    record Shown(BufferedImage picture, ReceivedFrame frame, long atNanos, String thread) {
    }

    final List<Shown> pictures = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();

    @Override
    public void onPicture(BufferedImage picture, ReceivedFrame frame) {
        pictures.add(new Shown(picture, frame, System.nanoTime(), Thread.currentThread().getName()));
    }

    @Override
    public void onStateChanged(PlayerState state, String message) {
        states.add(state + ": " + message);
    }

    int count() {
        return pictures.size();
    }

    List<Shown> since(long nanos) {
        List<Shown> list = new ArrayList<>();
        for (Shown s : pictures) {
            if (s.atNanos() >= nanos) {
                list.add(s);
            }
        }
        return list;
    }

    boolean awaitPictures(int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (pictures.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return pictures.size() >= n;
    }

    /** Waits until no picture has come for {@code quietMillis}, at most {@code millis}; the count then. */
    int awaitQuiet(long quietMillis, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        int count = pictures.size();
        long since = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            int now = pictures.size();
            if (now != count) {
                count = now;
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since >= quietMillis) {
                break;
            }
        }
        return count;
    }

    /** The red level of the picture's centre, 0..255. */
    static int red(BufferedImage picture) {
        return (picture.getRGB(picture.getWidth() / 2, picture.getHeight() / 2) >> 16) & 0xFF;
    }
}
