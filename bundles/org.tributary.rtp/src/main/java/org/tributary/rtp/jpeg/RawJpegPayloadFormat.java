package org.tributary.rtp.jpeg;

import java.nio.ByteBuffer;
import java.util.List;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.PayloadFormat;
import org.tributary.rtp.RtpException;

/**
 * The classic lab client's format: one whole JPEG file (SOI to EOI) as the payload of one RTP packet, no
 * RFC 2435 header, no fragments, payload type 26 by convention. The lab client reads datagrams into a
 * 20480-byte buffer, so its packetizer's maximum packet size should be 20480 and frames must fit.
 *
 * <p>Stateless and thread-safe. Per frame: one array, the image copied into it once.
 */
public final class RawJpegPayloadFormat implements PayloadFormat {

    /** The lab client's receive buffer: the largest packet, RTP header included, it reads whole. */
    public static final int LAB_CLIENT_MAX_PACKET_SIZE = 20480;

    @Override
    public String encodingName() {
        return Codec.JPEG.encodingName();
    }

    @Override
    public int clockRate() {
        return Codec.JPEG.clockRate();
    }

    @Override
    public void payloads(Frame frame, int maxPayloadSize, int headroom, List<ByteBuffer> out) throws RtpException {
        ByteBuffer data = frame.data();
        int size = data.remaining();
        if (frame.codec() != Codec.JPEG || size < 4 || data.get(0) != (byte) 0xFF || data.get(1) != (byte) 0xD8) {
            throw new RtpException("frame #" + frame.index() + " is not a JPEG image (no FF D8 start)");
        }
        if (size > maxPayloadSize) {
            throw new RtpException("frame #" + frame.index() + " is " + size + " bytes but the raw JPEG format"
                    + " sends each frame whole in one packet of at most " + maxPayloadSize
                    + " payload bytes; encode the frames smaller (lower quality or size)");
        }
        byte[] array = new byte[headroom + size];
        data.get(0, array, headroom, size);
        out.add(ByteBuffer.wrap(array));
    }
}
