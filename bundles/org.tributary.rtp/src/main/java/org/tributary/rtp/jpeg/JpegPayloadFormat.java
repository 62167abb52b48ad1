package org.tributary.rtp.jpeg;

import java.nio.ByteBuffer;
import java.util.List;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.PayloadFormat;
import org.tributary.rtp.RtpException;

/**
 * RTP/JPEG (RFC 2435): the scan data of one baseline JPEG image cut into fragments, each behind the 8-byte
 * main header (fragment offset into the scan data, type, Q, width/8, height/8). Images with a restart
 * interval use types 64/65 and the 4-byte restart header. Q is always 255: the image's own quantization
 * tables travel in-band (RFC 2435 §3.1.8) in the first packet, so any quality survives the trip unchanged.
 *
 * <p>Widths and heights that are not multiples of 8 are rounded up to the next multiple, as receivers only
 * know the 8-pixel block counts; the picture then has up to 7 extra rows or columns at its edge.
 *
 * <p>Stateless and thread-safe. Per frame: one parse over the image's headers (no copy), one backing array
 * for all payloads, the scan data copied into it once.
 */
public final class JpegPayloadFormat implements PayloadFormat {

    /** The quantization tables are in-band in every frame's first packet. */
    static final int Q_IN_BAND = 255;
    private static final int MAIN_HEADER = 8;
    private static final int RESTART_HEADER = 4;
    private static final int TABLES_HEADER = 4 + 128;
    private static final int MAX_OFFSET = 0xFF_FFFF;

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
        if (frame.codec() != Codec.JPEG) {
            throw new RtpException("frame #" + frame.index() + " is " + frame.codec() + ", not JPEG");
        }
        Jfif jfif;
        try {
            jfif = Jfif.parse(frame.data());
        } catch (JpegException e) {
            throw new RtpException("frame #" + frame.index() + " is not a usable JPEG image: " + e.getMessage(), e);
        }
        if (!jfif.rfc2435Compatible()) {
            throw new RtpException("frame #" + frame.index() + " cannot be sent as RTP/JPEG (RFC 2435): "
                    + jfif.incompatibility());
        }
        ByteBuffer scan = jfif.scanData();
        int scanLength = scan.remaining();
        if (scanLength > MAX_OFFSET + 1) {
            throw new RtpException("frame #" + frame.index() + " has " + scanLength
                    + " bytes of scan data, more than RTP/JPEG's 24-bit fragment offsets address; lower the quality");
        }
        int dri = jfif.restartInterval();
        int header = MAIN_HEADER + (dri != 0 ? RESTART_HEADER : 0);
        int firstCapacity = maxPayloadSize - header - TABLES_HEADER;
        int capacity = maxPayloadSize - header;
        if (firstCapacity < 1) {
            throw new RtpException("a payload of " + maxPayloadSize + " bytes cannot hold the "
                    + (header + TABLES_HEADER) + " bytes of RTP/JPEG headers and tables; raise the packet size");
        }
        int rest = Math.max(0, scanLength - firstCapacity);
        int packets = 1 + (rest + capacity - 1) / capacity;
        byte[] array = new byte[packets * (headroom + header) + TABLES_HEADER + scanLength];
        ByteBuffer whole = ByteBuffer.wrap(array);
        int typeByte = jfif.type() + (dri != 0 ? 64 : 0);
        int widthBlocks = (jfif.width() + 7) >>> 3;
        int heightBlocks = (jfif.height() + 7) >>> 3;
        int at = 0;
        int offset = 0;
        for (int i = 0; i < packets; i++) {
            int start = at;
            at += headroom;
            array[at + 1] = (byte) (offset >>> 16);
            array[at + 2] = (byte) (offset >>> 8);
            array[at + 3] = (byte) offset;
            array[at + 4] = (byte) typeByte;
            array[at + 5] = (byte) Q_IN_BAND;
            array[at + 6] = (byte) widthBlocks;
            array[at + 7] = (byte) heightBlocks;
            at += MAIN_HEADER;
            if (dri != 0) {
                array[at] = (byte) (dri >>> 8);
                array[at + 1] = (byte) dri;
                // F=1, L=1, count 0x3FFF: fragments are not aligned with restart intervals (RFC 2435 §3.1.7).
                array[at + 2] = (byte) 0xFF;
                array[at + 3] = (byte) 0xFF;
                at += RESTART_HEADER;
            }
            int room = capacity;
            if (i == 0) {
                array[at + 2] = 0;
                array[at + 3] = (byte) 128;
                jfif.lumaTable().get(0, array, at + 4, 64);
                jfif.chromaTable().get(0, array, at + 68, 64);
                at += TABLES_HEADER;
                room = firstCapacity;
            }
            int length = Math.min(room, scanLength - offset);
            scan.get(offset, array, at, length);
            at += length;
            offset += length;
            out.add(whole.slice(start, at - start));
        }
    }
}
