package org.tributary.rtsp.server.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.imageio.ImageIO;

import org.tributary.api.Codec;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.DeliveryStats;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.MediaInfo;
import org.tributary.api.Playback;
import org.tributary.api.SourceType;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamStatistics;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;
import org.tributary.api.Transport;
import org.tributary.api.TransportException;

/** Test doubles of the API services: an in-memory Streams and a Transport that records what it is given. */
final class Fakes {

    private Fakes() {
    }

    /** A small baseline JPEG (4:2:0, standard tables) as ImageIO writes it. */
    static byte[] jpeg(int width, int height, int shade) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(shade, 255 - shade, 128));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1F, (byte) 0xDA, 0x01, 0x40, 0x16};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    /** The parameter sets of {@link #h264Frame}'s stream. */
    static List<ByteBuffer> parameterSets() {
        return List.of(ByteBuffer.wrap(SPS), ByteBuffer.wrap(PPS));
    }

    /**
     * An H.264 access unit in Annex B form: an IDR slice (without in-band SPS/PPS) or a P slice, its bytes
     * marking the index so packets of different frames differ.
     */
    static Frame h264Frame(long index, Duration at, boolean idr) {
        byte[] au = {0, 0, 0, 1, (byte) (idr ? 0x65 : 0x41), (byte) 0x88, (byte) index, (byte) (index >> 8), 0x10};
        return new Frame(Codec.H264, index, at.toNanos(), idr, ByteBuffer.wrap(au));
    }

    static Frame frame(long index, Duration at) {
        return new Frame(Codec.JPEG, index, at.toNanos(), true, ByteBuffer.wrap(jpeg(64, 48, (int) (index * 10) & 0xFF)));
    }

    /** Streams by name; every playback is recorded so a test can push frames and ends into it. */
    static final class FakeStreams implements Streams {
        final Map<String, StreamInfo> streams = new ConcurrentHashMap<>();
        final List<FakePlayback> playbacks = new CopyOnWriteArrayList<>();
        /** Run by every playback's play, after it recorded the call: a test's way to end it right then. */
        volatile java.util.function.Consumer<FakePlayback> onPlay = p -> { };

        FakeStreams add(String name, MediaInfo info) {
            streams.put(name, new StreamInfo(name, "test", StreamState.RUNNING, "", info, 0));
            return this;
        }

        FakeStreams add(StreamInfo info) {
            streams.put(info.name(), info);
            return this;
        }

        @Override
        public List<StreamInfo> list() {
            return List.copyOf(new TreeMap<>(streams).values());
        }

        @Override
        public Optional<StreamInfo> get(String name) {
            return Optional.ofNullable(streams.get(name));
        }

        @Override
        public Optional<StreamStatistics> statistics(String name) {
            return streams.containsKey(name) ? Optional.of(new StreamStatistics(0, 0, 0)) : Optional.empty();
        }

        @Override
        public Playback open(String name, FrameSink sink) throws StreamException {
            StreamInfo info = streams.get(name);
            if (info == null) {
                throw new StreamException(StreamException.Kind.NOT_FOUND, "no stream " + name);
            }
            if (info.state() != StreamState.RUNNING) {
                throw new StreamException(StreamException.Kind.UNAVAILABLE, "stream " + name + " is " + info.state());
            }
            FakePlayback playback = new FakePlayback(name, info.info(), sink, onPlay);
            playbacks.add(playback);
            return playback;
        }

        FakePlayback last() {
            return playbacks.get(playbacks.size() - 1);
        }

        @Override
        public List<SourceType> sourceTypes() {
            return List.of();
        }

        @Override
        public StreamInfo create(String name, String type, Map<String, Object> settings) {
            throw new UnsupportedOperationException("the server never creates streams");
        }

        @Override
        public StreamInfo update(String name, Map<String, Object> settings) {
            throw new UnsupportedOperationException("the server never changes streams");
        }

        @Override
        public void delete(String name) {
            throw new UnsupportedOperationException("the server never deletes streams");
        }

        @Override
        public StreamInfo stop(String name) {
            throw new UnsupportedOperationException("the server never stops streams");
        }

        @Override
        public StreamInfo start(String name) {
            throw new UnsupportedOperationException("the server never starts streams");
        }
    }

    static final class FakePlayback implements Playback {
        final String name;
        final MediaInfo info;
        final FrameSink sink;
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile Duration position = Duration.ZERO;
        volatile boolean closed;
        private final java.util.function.Consumer<FakePlayback> onPlay;

        FakePlayback(String name, MediaInfo info, FrameSink sink, java.util.function.Consumer<FakePlayback> onPlay) {
            this.name = name;
            this.info = info;
            this.sink = sink;
            this.onPlay = onPlay;
        }

        @Override
        public MediaInfo info() {
            return info;
        }

        @Override
        public String streamName() {
            return name;
        }

        @Override
        public Duration play(Duration at) {
            calls.add("play " + at);
            if (at != null && info.duration() != null && at.compareTo(info.duration()) > 0) {
                throw new IllegalArgumentException("past the end");
            }
            if (at != null) {
                position = at;
            }
            onPlay.accept(this);
            return position;
        }

        @Override
        public void pause() {
            calls.add("pause");
        }

        @Override
        public Duration position() {
            return position;
        }

        @Override
        public void close() {
            closed = true;
            calls.add("close");
        }

        /** Delivers a frame as the pacer would. */
        void deliver(Frame frame) {
            position = Duration.ofNanos(frame.timestampNanos());
            sink.onFrame(frame);
        }
    }

    /** A transport of one profile that records every request and delivery. */
    static final class RecordingTransport implements Transport {
        final String profile;
        final List<DeliveryRequest> requests = new CopyOnWriteArrayList<>();
        final List<RecordingDelivery> deliveries = new CopyOnWriteArrayList<>();
        volatile String refuse;

        RecordingTransport(String profile) {
            this.profile = profile;
        }

        Map<String, Object> properties() {
            return Map.of(Transport.PROFILE, profile);
        }

        @Override
        public Delivery open(DeliveryRequest request) throws TransportException {
            if (refuse != null) {
                throw new TransportException(refuse);
            }
            requests.add(request);
            String header = profile.equals("RTP/AVP")
                    ? "RTP/AVP;unicast;client_port=" + request.parameters().getOrDefault("client_port", "")
                            + ";server_port=6970-6971"
                    : profile + ";unicast;interleaved=" + request.parameters().getOrDefault("interleaved", "0-1");
            RecordingDelivery delivery = new RecordingDelivery(header, request);
            deliveries.add(delivery);
            return delivery;
        }

        RecordingDelivery last() {
            return deliveries.get(deliveries.size() - 1);
        }
    }

    static final class RecordingDelivery implements Delivery {
        final String header;
        final DeliveryRequest request;
        final List<List<ByteBuffer>> frames = new CopyOnWriteArrayList<>();
        final List<ByteBuffer> controls = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        /** While set, every frame is dropped, as a transport does for a client that cannot keep up. */
        volatile boolean full;

        RecordingDelivery(String header, DeliveryRequest request) {
            this.header = header;
            this.request = request;
        }

        @Override
        public String transportHeader() {
            return header;
        }

        @Override
        public boolean send(List<ByteBuffer> packets) {
            if (full) {
                return false;
            }
            frames.add(new ArrayList<>(packets));
            return true;
        }

        @Override
        public void sendControl(ByteBuffer rtcp) {
            controls.add(rtcp);
        }

        @Override
        public DeliveryStats stats() {
            return new DeliveryStats(frames.stream().mapToLong(List::size).sum(), 0, 0);
        }

        @Override
        public void close() {
            closed = true;
        }

        /** Whether an RTCP BYE (packet type 203) was sent. */
        boolean sentBye() {
            for (ByteBuffer c : controls) {
                for (int at = 0; at + 4 <= c.limit(); at += ((c.getShort(at + 2) & 0xFFFF) + 1) * 4) {
                    if ((c.get(at + 1) & 0xFF) == 203) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
