package org.tributary.rtsp.client.internal;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import org.tributary.api.Codec;
import org.tributary.rtp.RtpHeader;
import org.tributary.rtp.h264.H264Depacketizer;
import org.tributary.rtp.jpeg.JpegDepacketizer;
import org.tributary.rtp.jpeg.RawJpegDepacketizer;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtsp.client.JpegPacketization;

/**
 * Which depacketizer plays which codec. A codec without an entry is not offered for SETUP.
 */
final class Depacketizers {

    private static final Map<Codec, BiFunction<MediaDescription, JpegPacketization, Depacketizer>> FACTORIES;

    static {
        Map<Codec, BiFunction<MediaDescription, JpegPacketization, Depacketizer>> map = new EnumMap<>(Codec.class);
        map.put(Codec.JPEG, Jpeg::new);
        map.put(Codec.H264, (media, jpeg) -> new H264(media));
        FACTORIES = Collections.unmodifiableMap(map);
    }

    private Depacketizers() {
    }

    /** The codec an SDP media section names, or empty if Tributary has no such codec. */
    static Optional<Codec> codec(MediaDescription media) {
        return media.codec();
    }

    static boolean supports(Codec codec) {
        return FACTORIES.containsKey(codec);
    }

    static Depacketizer create(Codec codec, MediaDescription media, JpegPacketization jpeg) {
        BiFunction<MediaDescription, JpegPacketization, Depacketizer> factory = FACTORIES.get(codec);
        if (factory == null) {
            throw new IllegalArgumentException("no depacketizer for " + codec);
        }
        return factory.apply(media, jpeg);
    }

    /**
     * JPEG by RFC 2435 or as whole images per packet (the lab format), chosen by the option or by the first
     * packet's payload.
     */
    private static final class Jpeg implements Depacketizer {
        private final int width;
        private final int height;
        private JpegPacketization mode;
        private JpegDepacketizer rfc2435;
        private RawJpegDepacketizer raw;

        Jpeg(MediaDescription media, JpegPacketization mode) {
            MediaDescription.Dimensions size = media.dimensions();
            this.width = size.width();
            this.height = size.height();
            this.mode = mode;
        }

        @Override
        public Optional<ByteBuffer> accept(ByteBuffer rtpPacket) {
            if (mode == JpegPacketization.AUTO) {
                int at = rtpPacket.position() + RtpHeader.payloadOffset(rtpPacket);
                boolean soi = RtpHeader.payloadLength(rtpPacket) >= 2 && rtpPacket.get(at) == (byte) 0xFF
                        && rtpPacket.get(at + 1) == (byte) 0xD8;
                mode = soi ? JpegPacketization.RAW : JpegPacketization.RFC_2435;
            }
            if (mode == JpegPacketization.RAW) {
                if (raw == null) {
                    raw = new RawJpegDepacketizer();
                }
                return raw.accept(rtpPacket);
            }
            if (rfc2435 == null) {
                rfc2435 = new JpegDepacketizer(width, height);
            }
            return rfc2435.accept(rtpPacket);
        }

        @Override
        public long droppedFrames() {
            return (raw == null ? 0 : raw.droppedFrames()) + (rfc2435 == null ? 0 : rfc2435.droppedFrames());
        }
    }

    /**
     * H.264 by RFC 6184 (packetization mode 1): each frame is one access unit in Annex B form. The SDP's
     * {@code sprop-parameter-sets} go in front of IDR access units that lack them in-band, so every
     * keyframe starts a decoder on its own.
     */
    private static final class H264 implements Depacketizer {
        private final H264Depacketizer depacketizer;

        H264(MediaDescription media) {
            this.depacketizer = new H264Depacketizer(media.parameterSets());
        }

        @Override
        public Optional<ByteBuffer> accept(ByteBuffer rtpPacket) {
            return depacketizer.accept(rtpPacket).map(H264Depacketizer.AccessUnit::data);
        }

        @Override
        public long droppedFrames() {
            return depacketizer.droppedFrames();
        }
    }
}
