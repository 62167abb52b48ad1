package org.tributary.transport.udp.internal;

import org.tributary.api.TransportException;

/**
 * The ports a client receives RTP and RTCP on, from {@code client_port=a-b} or {@code client_port=a} (RTCP
 * then on a+1, as the classic lab client expects).
 */
record ClientPorts(int rtp, int rtcp) {

    static ClientPorts parse(String value) throws TransportException {
        String v = value.trim();
        int dash = v.indexOf('-');
        if (dash < 0) {
            int rtp = port(v, value);
            if (rtp == 65535) {
                throw new TransportException("client_port=65535 leaves no port for RTCP; name two ports, e.g. client_port=5000-5001");
            }
            return new ClientPorts(rtp, rtp + 1);
        }
        return new ClientPorts(port(v.substring(0, dash), value), port(v.substring(dash + 1), value));
    }

    private static int port(String text, String value) throws TransportException {
        String t = text.trim();
        int port = -1;
        if (!t.isEmpty() && t.length() <= 5) {
            try {
                port = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            throw new TransportException("client_port=" + value.trim()
                    + " is not a port or pair of ports from 1 to 65535, e.g. client_port=5000-5001");
        }
        return port;
    }

    @Override
    public String toString() {
        return rtp + "-" + rtcp;
    }
}
