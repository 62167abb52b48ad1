package org.tributary.viewer.internal;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSlider;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;

import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.viewer.PlayerController;
import org.tributary.viewer.PlayerListener;
import org.tributary.viewer.PlayerState;

/**
 * The viewer's window: a URL field (with the server's streams when its REST API answers), the transport, Play,
 * Pause and Stop, a seek slider for on-demand streams, the picture, a status line with the statistics, and a line
 * for errors in words a person can act on.
 *
 * <p>Threading: Swing runs on the event dispatch thread; everything that talks to the server runs on the
 * window's control thread ({@code tributary-viewer-control-<n>}), so the window never freezes on the network.
 * {@link #close()} sends TEARDOWN, closes the sockets and ends every thread the window started.
 */
public final class ViewerWindow {

    /** How often the status line and the slider follow the player. */
    private static final int REFRESH_MILLIS = 250;
    private static final Duration CATALOG_TIMEOUT = Duration.ofSeconds(1);
    private static final Color ERROR = new Color(0xB0, 0x10, 0x10);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final JFrame frame;
    private final PlayerController player;
    private final ThreadPoolExecutor control;
    private final VideoPanel video = new VideoPanel();
    private final JComboBox<String> url = new JComboBox<>();
    private final JComboBox<LowerTransport> transport = new JComboBox<>(LowerTransport.values());
    private final JButton play = new JButton("Play");
    private final JButton pause = new JButton("Pause");
    private final JButton stop = new JButton("Stop");
    private final JSlider seek = new JSlider(0, 1000, 0);
    private final JLabel status = new JLabel(" ");
    private final JLabel message = new JLabel(" ");
    private final Timer refresh;
    private final int httpPort;
    private final Runnable onClosed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Set while the window moves the slider itself, so that only a person's move seeks. EDT only. */
    private boolean following;

    private ViewerWindow(String initialUrl, LowerTransport initialTransport, int httpPort, Runnable onClosed) {
        this.httpPort = httpPort;
        this.onClosed = onClosed;
        int id = IDS.incrementAndGet();
        control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tributary-viewer-control-" + id);
            t.setDaemon(true);
            return t;
        });
        player = new PlayerController(new Listener());

        frame = new JFrame("Tributary viewer");
        frame.setName("viewer");
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                closeAsync();
            }
        });

        url.setName("url");
        url.setEditable(true);
        url.setPrototypeDisplayValue("rtsp://localhost:8554/stream-with-a-long-name");
        if (initialUrl != null) {
            url.addItem(initialUrl);
            url.setSelectedItem(initialUrl);
        }
        transport.setName("transport");
        transport.setSelectedItem(initialTransport);
        play.setName("play");
        pause.setName("pause");
        stop.setName("stop");
        seek.setName("seek");
        status.setName("status");
        message.setName("message");
        seek.setEnabled(false);
        status.setFont(status.getFont().deriveFont(Font.PLAIN, 12f));

        play.addActionListener(e -> play());
        pause.addActionListener(e -> submit(player::pause));
        stop.addActionListener(e -> submit(() -> {
            player.stop();
            video.clear();
        }));
        seek.addChangeListener(e -> {
            if (!following && !seek.getValueIsAdjusting() && seek.isEnabled()) {
                Duration to = Duration.ofMillis(seek.getValue());
                submit(() -> player.seek(to));
            }
        });

        JPanel controls = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 2));
        controls.add(transport);
        controls.add(play);
        controls.add(pause);
        controls.add(stop);
        JPanel top = new JPanel(new BorderLayout(4, 0));
        top.setBorder(BorderFactory.createEmptyBorder(4, 4, 4, 4));
        top.add(url, BorderLayout.CENTER);
        top.add(controls, BorderLayout.EAST);
        JPanel bottom = new JPanel();
        bottom.setLayout(new BoxLayout(bottom, BoxLayout.Y_AXIS));
        bottom.setBorder(BorderFactory.createEmptyBorder(2, 6, 4, 6));
        seek.setAlignmentX(0);
        status.setAlignmentX(0);
        message.setAlignmentX(0);
        bottom.add(seek);
        bottom.add(status);
        bottom.add(message);
        frame.getContentPane().add(top, BorderLayout.NORTH);
        frame.getContentPane().add(video, BorderLayout.CENTER);
        frame.getContentPane().add(bottom, BorderLayout.SOUTH);
        frame.pack();
        frame.setLocation(0, 0);

        refresh = new Timer(REFRESH_MILLIS, e -> follow());
        refresh.start();
        buttons(PlayerState.IDLE);
    }

    /**
     * Opens a window; call from any thread.
     *
     * @param initialUrl put in the URL field; {@code null} for an empty field
     * @param autoplay whether to start playing {@code initialUrl} at once
     * @param httpPort where the server's REST API lists its streams
     * @param onClosed run once the window has closed (on the event dispatch thread)
     * @throws java.awt.HeadlessException without a display
     */
    public static ViewerWindow open(String initialUrl, LowerTransport transport, boolean autoplay, int httpPort,
            Runnable onClosed) {
        ViewerWindow[] made = new ViewerWindow[1];
        Runnable create = () -> {
            made[0] = new ViewerWindow(initialUrl, transport, httpPort, onClosed);
            made[0].frame.setVisible(true);
        };
        if (SwingUtilities.isEventDispatchThread()) {
            create.run();
        } else {
            try {
                SwingUtilities.invokeAndWait(create);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while opening the viewer window", e);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException ? (RuntimeException) cause
                        : new IllegalStateException(cause);
            }
        }
        ViewerWindow window = made[0];
        if (initialUrl != null) {
            if (autoplay) {
                window.submit(() -> window.player.open(initialUrl, transport));
            }
            window.loadCatalog(initialUrl);
        }
        return window;
    }

    /** The player under the window, for programs and tests that watch it. */
    public PlayerController player() {
        return player;
    }

    /** Where the pictures are shown, for tests that take screenshots of it. */
    VideoPanel video() {
        return video;
    }

    /** The Swing frame (e.g. to find its buttons by name). */
    public JFrame frame() {
        return frame;
    }

    /**
     * Closes the window: TEARDOWN, sockets closed, every thread of the window ended. Blocks until done unless
     * called on the event dispatch thread. Idempotent.
     */
    public void close() {
        closeAsync();
        if (!SwingUtilities.isEventDispatchThread()) {
            try {
                closed.await(10, TimeUnit.SECONDS);
                control.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the window has closed. */
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void closeAsync() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        control.execute(() -> {
            player.close();
            SwingUtilities.invokeLater(() -> {
                refresh.stop();
                frame.dispose();
                closed.countDown();
                if (onClosed != null) {
                    onClosed.run();
                }
            });
        });
        control.shutdown();
    }

    private void play() {
        Object selected = url.getEditor().getItem();
        String u = selected == null ? "" : selected.toString().strip();
        LowerTransport t = (LowerTransport) transport.getSelectedItem();
        if (u.isEmpty()) {
            showMessage("enter an rtsp:// URL", true);
            return;
        }
        submit(() -> {
            if (player.state() == PlayerState.PAUSED && u.equals(player.url()) && t == player.transport()) {
                player.resume();
            } else {
                player.open(u, t);
            }
        });
        loadCatalog(u);
    }

    private void loadCatalog(String rtspUrl) {
        control.execute(() -> {
            List<String> streams = StreamCatalog.streamUrls(rtspUrl, httpPort, CATALOG_TIMEOUT);
            if (!streams.isEmpty()) {
                SwingUtilities.invokeLater(() -> {
                    for (String s : streams) {
                        if (((javax.swing.DefaultComboBoxModel<String>) url.getModel()).getIndexOf(s) < 0) {
                            url.addItem(s);
                        }
                    }
                });
            }
        });
    }

    /** An action that may block on the network; failures are already in the window through the state listener. */
    private interface Action {
        void run() throws Exception;
    }

    private void submit(Action action) {
        if (closing.get()) {
            return;
        }
        control.execute(() -> {
            try {
                action.run();
            } catch (IllegalStateException e) {
                SwingUtilities.invokeLater(() -> showMessage(e.getMessage(), true));
            } catch (Exception e) {
                // The player put the message in its state already.
            }
        });
    }

    private void follow() {
        PlayerState state = player.state();
        status.setText(StatusLine.format(state, player.transport(), player.statistics(), player.position(),
                player.duration()));
        if (!seek.getValueIsAdjusting() && seek.isEnabled()) {
            following = true;
            seek.setValue((int) Math.min(Integer.MAX_VALUE, player.position().toMillis()));
            following = false;
        }
    }

    private void stateChanged(PlayerState state, String text) {
        buttons(state);
        boolean seekable = (state == PlayerState.PLAYING || state == PlayerState.PAUSED)
                && player.duration().isPresent();
        following = true;
        if (seekable) {
            seek.setMaximum((int) Math.min(Integer.MAX_VALUE, player.duration().get().toMillis()));
        } else {
            seek.setValue(0);
        }
        seek.setEnabled(seekable);
        following = false;
        showMessage(text, state == PlayerState.FAILED);
        follow();
    }

    private void buttons(PlayerState state) {
        play.setEnabled(state != PlayerState.PLAYING && state != PlayerState.CONNECTING);
        pause.setEnabled(state == PlayerState.PLAYING);
        stop.setEnabled(state == PlayerState.PLAYING || state == PlayerState.PAUSED
                || state == PlayerState.CONNECTING);
    }

    private void showMessage(String text, boolean error) {
        message.setForeground(error ? ERROR : Color.DARK_GRAY);
        message.setText(text == null || text.isEmpty() ? " " : text);
        message.setToolTipText(text);
    }

    private final class Listener implements PlayerListener {
        @Override
        public void onPicture(BufferedImage picture, ReceivedFrame frame) {
            video.show(picture);
        }

        @Override
        public void onStateChanged(PlayerState state, String text) {
            SwingUtilities.invokeLater(() -> stateChanged(state, text));
        }
    }
}
