package org.tributary.transport.udp.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Client addresses as the UDP transport keys and writes them. A dual-stack socket may name an IPv4 client in its
 * IPv4-mapped IPv6 form ({@code ::ffff:127.0.0.1}); {@link #canonical} turns that into the IPv4 address, so a
 * delivery's targets and the senders of arriving datagrams compare equal whichever form either side used.
 */
final class Addresses {

    private Addresses() {
    }

    /** The address, an IPv4-mapped IPv6 address as its IPv4 address. */
    static InetAddress canonical(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return address;
            }
        }
        if (b[10] != (byte) 0xFF || b[11] != (byte) 0xFF) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return address; // four bytes are always a valid length
        }
    }

    /** The socket address with its address {@linkplain #canonical(InetAddress) canonical}; unresolved as given. */
    static InetSocketAddress canonical(InetSocketAddress socketAddress) {
        InetAddress address = socketAddress.getAddress();
        if (address == null) {
            return socketAddress;
        }
        InetAddress c = canonical(address);
        return c == address ? socketAddress : new InetSocketAddress(c, socketAddress.getPort());
    }

    /**
     * The address as a Transport header's {@code source} names it: IPv4 dotted, IPv6 compressed (RFC 5952),
     * lower case, without brackets or zone.
     */
    static String literal(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xFF) << 8 | b[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
            if (i == start) {
                i++;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
            } else {
                if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }

    /** Whether a socket bound to {@code bound} can send to {@code client}: IPv4 to IPv4, IPv6 to IPv6. */
    static boolean sameFamily(InetAddress bound, InetAddress client) {
        return (canonical(bound) instanceof Inet4Address) == (canonical(client) instanceof Inet4Address);
    }
}
