package org.tributary.transport.tcp.internal;

import org.tributary.api.TransportException;

/**
 * The two interleaved channels of one track, from {@code interleaved=a-b} or {@code interleaved=a} (RTCP then
 * on a+1): RTP goes out on the first, RTCP both ways on the second (RFC 2326 §10.12, §12.39).
 */
record ChannelPair(int rtp, int rtcp) {

    /** The highest channel number: the channel is one byte of the {@code $} frame header. */
    static final int MAX_CHANNEL = 255;

    static ChannelPair parse(String value) throws TransportException {
        String v = value.trim();
        int dash = v.indexOf('-');
        if (dash < 0) {
            int rtp = channel(v, value);
            if (rtp == MAX_CHANNEL) {
                throw new TransportException("interleaved=255 leaves no channel for RTCP; name two channels, e.g."
                        + " interleaved=0-1");
            }
            return new ChannelPair(rtp, rtp + 1);
        }
        int rtp = channel(v.substring(0, dash), value);
        int rtcp = channel(v.substring(dash + 1), value);
        if (rtp == rtcp) {
            throw new TransportException("interleaved=" + v + " names one channel twice; RTP and RTCP need two,"
                    + " e.g. interleaved=" + (rtp == MAX_CHANNEL ? "0-1" : rtp + "-" + (rtp + 1)));
        }
        return new ChannelPair(rtp, rtcp);
    }

    private static int channel(String text, String value) throws TransportException {
        String t = text.trim();
        int channel = -1;
        if (!t.isEmpty() && t.length() <= 3) {
            try {
                channel = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                channel = -1;
            }
        }
        if (channel < 0 || channel > MAX_CHANNEL) {
            throw new TransportException("interleaved=" + value.trim()
                    + " is not a channel or pair of channels from 0 to 255, e.g. interleaved=0-1");
        }
        return channel;
    }

    @Override
    public String toString() {
        return rtp + "-" + rtcp;
    }
}
