package org.tributary.rtp.jpeg;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

import org.tributary.rtp.RtpHeader;

/**
 * The receiving side of RTP/JPEG (RFC 2435): collects the fragments of one frame and, when the packet with
 * the marker bit completes it, rebuilds a JPEG image: SOI, JFIF APP0, DQT (in-band tables, or the
 * Appendix A tables for Q 1..99), SOF0, the standard Huffman tables, DRI for types 64/65, SOS, the scan
 * data and EOI.
 *
 * <p>A frame is dropped, and counted in {@link #droppedFrames()}, when its first fragment is missing, a
 * fragment does not start where the previous one ended (loss or reordering), the timestamp changes before
 * the marker, or its headers are unusable (unknown type, reserved Q, missing tables).
 *
 * <p>Not thread-safe: one depacketizer per received RTP stream. The returned image is a heap buffer over a
 * fresh array that belongs to the caller.
 */
public final class JpegDepacketizer {

    private static final int HEADER_ROOM = 640;

    private final int fallbackWidth;
    private final int fallbackHeight;
    private final byte[][] cachedTables = new byte[256][];
    private byte[] image;
    private int length;
    private int scanStart;
    private boolean collecting;
    private long timestamp;
    private boolean discarding;
    private long discardTimestamp;
    private long droppedFrames;
    private int lastImageSize = 64 * 1024;

    /** A depacketizer for streams whose width and height fit the RTP/JPEG header (at most 2040 px). */
    public JpegDepacketizer() {
        this(0, 0);
    }

    /**
     * A depacketizer that uses the given size when a packet's width or height field is 0, as senders of
     * pictures larger than 2040 px do together with SDP's {@code a=x-dimensions}.
     */
    public JpegDepacketizer(int fallbackWidth, int fallbackHeight) {
        this.fallbackWidth = fallbackWidth;
        this.fallbackHeight = fallbackHeight;
    }

    /**
     * Takes one RTP packet of the stream.
     *
     * @param rtpPacket a whole RTP packet, read from its position to its limit; not moved and not retained
     * @return the rebuilt JPEG image when this packet completes a frame, otherwise empty
     */
    public Optional<ByteBuffer> accept(ByteBuffer rtpPacket) {
        if (!RtpHeader.isValid(rtpPacket) || RtpHeader.isRtcp(rtpPacket)) {
            return Optional.empty();
        }
        long ts = RtpHeader.timestamp(rtpPacket);
        boolean marker = RtpHeader.marker(rtpPacket);
        int payloadLength = RtpHeader.payloadLength(rtpPacket);
        ByteBuffer p = rtpPacket.slice(rtpPacket.position() + RtpHeader.payloadOffset(rtpPacket), payloadLength);

        if (collecting && ts != timestamp) {
            abandon();
            discarding = false;
        }
        if (discarding && ts != discardTimestamp) {
            discarding = false;
        }
        if (p.remaining() < 8) {
            return broken(ts);
        }
        int offset = (u8(p, 1) << 16) | (u8(p, 2) << 8) | u8(p, 3);
        int at = 8;
        if (offset == 0) {
            if (collecting) {
                abandon();
            }
            discarding = false;
            if (!start(p, ts)) {
                return broken(ts);
            }
            at = dataStart(p);
        } else {
            if (discarding) {
                return Optional.empty();
            }
            if (!collecting || offset != length - scanStart) {
                return broken(ts);
            }
            at = (u8(p, 4) & 0x40) != 0 ? 12 : 8;
        }
        if (at > p.remaining()) {
            return broken(ts);
        }
        append(p, at, p.remaining() - at);
        if (!marker) {
            return Optional.empty();
        }
        collecting = false;
        if (length < scanStart + 2 || image[length - 2] != (byte) 0xFF || image[length - 1] != (byte) 0xD9) {
            ensure(2);
            image[length++] = (byte) 0xFF;
            image[length++] = (byte) 0xD9;
        }
        ByteBuffer done = ByteBuffer.wrap(image, 0, length).slice();
        lastImageSize = length;
        image = null;
        return Optional.of(done);
    }

    /** Frames abandoned so far because packets were lost, reordered or unusable. */
    public long droppedFrames() {
        return droppedFrames;
    }

    private Optional<ByteBuffer> broken(long ts) {
        if (collecting) {
            collecting = false;
            droppedFrames++;
            discarding = true;
            discardTimestamp = ts;
        } else if (!discarding || discardTimestamp != ts) {
            droppedFrames++;
            discarding = true;
            discardTimestamp = ts;
        }
        return Optional.empty();
    }

    private void abandon() {
        collecting = false;
        droppedFrames++;
    }

    /** Reads the first fragment's headers and writes the rebuilt JPEG headers; false if they are unusable. */
    private boolean start(ByteBuffer p, long ts) {
        int type = u8(p, 4);
        int q = u8(p, 5);
        int width = u8(p, 6) * 8;
        int height = u8(p, 7) * 8;
        if (width == 0) {
            width = fallbackWidth;
        }
        if (height == 0) {
            height = fallbackHeight;
        }
        int dri = 0;
        int at = 8;
        if ((type & 0x40) != 0) {
            if (p.remaining() < at + 4) {
                return false;
            }
            dri = (u8(p, 8) << 8) | u8(p, 9);
            at += 4;
            type &= ~0x40;
        }
        if (type > 1 || q == 0 || (q > 99 && q < 128) || width == 0 || height == 0) {
            return false;
        }
        byte[] tables;
        if (q < 128) {
            tables = cachedTables[q];
            if (tables == null) {
                tables = JpegTables.scaledTables(q);
                cachedTables[q] = tables;
            }
        } else {
            if (p.remaining() < at + 4) {
                return false;
            }
            int tablesLength = (u8(p, at + 2) << 8) | u8(p, at + 3);
            if (u8(p, at + 1) != 0 || p.remaining() < at + 4 + tablesLength) {
                return false;
            }
            if (tablesLength == 0) {
                tables = q == 255 ? null : cachedTables[q];
            } else if (tablesLength == 64 || tablesLength == 128) {
                tables = new byte[128];
                p.get(at + 4, tables, 0, 64);
                p.get(at + 4 + tablesLength - 64, tables, 64, 64);
                if (q != 255) {
                    cachedTables[q] = tables;
                }
            } else {
                return false;
            }
            if (tables == null) {
                return false;
            }
        }
        image = new byte[Math.max(lastImageSize + lastImageSize / 4, HEADER_ROOM + 1024)];
        length = writeHeaders(image, type, width, height, dri, tables);
        scanStart = length;
        collecting = true;
        timestamp = ts;
        return true;
    }

    private static int dataStart(ByteBuffer p) {
        int at = (u8(p, 4) & 0x40) != 0 ? 12 : 8;
        if (u8(p, 5) >= 128) {
            at += 4 + ((u8(p, at + 2) << 8) | u8(p, at + 3));
        }
        return at;
    }

    private void append(ByteBuffer p, int at, int count) {
        ensure(count);
        p.get(at, image, length, count);
        length += count;
    }

    private void ensure(int more) {
        if (length + more > image.length) {
            image = Arrays.copyOf(image, Math.max(image.length * 2, length + more));
        }
    }

    private static int writeHeaders(byte[] b, int type, int width, int height, int dri, byte[] tables) {
        ByteBuffer h = ByteBuffer.wrap(b);
        h.put((byte) 0xFF).put((byte) 0xD8);
        h.put((byte) 0xFF).put((byte) 0xE0).putShort((short) 16).put(new byte[] {'J', 'F', 'I', 'F', 0});
        h.putShort((short) 0x0102).put((byte) 0).putShort((short) 1).putShort((short) 1).put((byte) 0).put((byte) 0);
        h.put((byte) 0xFF).put((byte) 0xDB).putShort((short) (2 + 2 * 65));
        h.put((byte) 0).put(tables, 0, 64);
        h.put((byte) 1).put(tables, 64, 64);
        if (dri != 0) {
            h.put((byte) 0xFF).put((byte) 0xDD).putShort((short) 4).putShort((short) dri);
        }
        h.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8);
        h.putShort((short) height).putShort((short) width).put((byte) 3);
        h.put((byte) 1).put((byte) (type == 0 ? 0x21 : 0x22)).put((byte) 0);
        h.put((byte) 2).put((byte) 0x11).put((byte) 1);
        h.put((byte) 3).put((byte) 0x11).put((byte) 1);
        huffman(h, 0x00, JpegTables.DC_LUMA_BITS, JpegTables.DC_LUMA_VALUES);
        huffman(h, 0x10, JpegTables.AC_LUMA_BITS, JpegTables.AC_LUMA_VALUES);
        huffman(h, 0x01, JpegTables.DC_CHROMA_BITS, JpegTables.DC_CHROMA_VALUES);
        huffman(h, 0x11, JpegTables.AC_CHROMA_BITS, JpegTables.AC_CHROMA_VALUES);
        h.put((byte) 0xFF).put((byte) 0xDA).putShort((short) 12).put((byte) 3);
        h.put((byte) 1).put((byte) 0x00).put((byte) 2).put((byte) 0x11).put((byte) 3).put((byte) 0x11);
        h.put((byte) 0).put((byte) 63).put((byte) 0);
        return h.position();
    }

    private static void huffman(ByteBuffer h, int classAndId, byte[] bits, byte[] values) {
        h.put((byte) 0xFF).put((byte) 0xC4).putShort((short) (3 + 16 + values.length));
        h.put((byte) classAndId).put(bits).put(values);
    }

    private static int u8(ByteBuffer b, int index) {
        return b.get(index) & 0xFF;
    }
}
