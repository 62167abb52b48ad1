package org.tributary.viewer.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceiverStatistics;
import org.tributary.viewer.PlayerController;
import org.tributary.viewer.PlayerState;
import org.tributary.viewer.PlayerStatistics;

/** The viewer's status line: what plays, how well it arrives, how well it is shown. */
public final class StatusLine {

    private StatusLine() {
    }

    public static String format(PlayerState state, LowerTransport transport, PlayerStatistics stats, Duration position,
            Optional<Duration> duration) {
        if (state != PlayerState.PLAYING && state != PlayerState.PAUSED) {
            return state.name().toLowerCase(Locale.ROOT);
        }
        ReceiverStatistics r = stats.receiver();
        StringBuilder b = new StringBuilder();
        b.append(state == PlayerState.PAUSED ? "paused" : "playing").append(" · ").append(transport);
        if (stats.width() > 0) {
            b.append(" · ").append(stats.width()).append('x').append(stats.height());
        }
        b.append(String.format(Locale.ROOT, " · %.1f fps · %s · lost %d · jitter %.1f ms · dropped %d",
                r.framesPerSecond(), bitrate(r.bitsPerSecond()), r.packetsLost(), r.jitterMillis(),
                stats.droppedFrames() + r.droppedFrames()));
        if (!stats.decoder().isEmpty()) {
            b.append(String.format(Locale.ROOT, " · decode %.1f ms (%s)", stats.decodeMillis(), stats.decoder()));
        }
        b.append(" · ").append(PlayerController.formatTime(position));
        duration.ifPresent(d -> b.append(" / ").append(PlayerController.formatTime(d)));
        return b.toString();
    }

    static String bitrate(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", bitsPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%d kbit/s", bitsPerSecond / 1000);
    }
}
