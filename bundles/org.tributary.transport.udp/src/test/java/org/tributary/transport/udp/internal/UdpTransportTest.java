package org.tributary.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.DeliveryStats;
import org.tributary.api.TransportException;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.SegmentedDatagramPacket;

class UdpTransportTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress IPV6_LOOPBACK = ipv6Loopback();

    private static InetAddress ipv6Loopback() {
        try {
            return InetAddress.getByName("::1");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ways the transport can run on this machine. */
    enum Mode {
        NIO(false, false), EPOLL(true, false), EPOLL_GSO(true, true);

        final boolean epoll;
        final boolean gso;

        Mode(boolean epoll, boolean gso) {
            this.epoll = epoll;
            this.gso = gso;
        }

        void assumeAvailable() {
            assumeTrue(!epoll || Epoll.isAvailable(), "epoll unavailable");
            assumeTrue(!gso || SegmentedDatagramPacket.isSupported(), "UDP GSO unsupported");
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void sendsEveryPacketOfAFrameInOrderFromTheServerRtpPort(Mode mode) throws Exception {
        mode.assumeAvailable();
        UdpTransport transport = transport(new UdpSettings(LOOPBACK, 0, 10, 1 << 24, 1 << 20, mode.epoll, mode.gso));
        assertEquals(mode.epoll, transport.usesEpoll());
        Client client = client();
        Delivery delivery = transport.open(request(client.ports(), new Recorder()));

        // 60 packets of 1200 bytes and a short last one: more than one GSO send can carry.
        List<ByteBuffer> frame = frame(60, 1200, 300, true);
        assertTrue(delivery.send(frame));
        for (ByteBuffer expected : frame) {
            DatagramPacket got = client.receiveRtp();
            assertArrayEquals(bytes(expected), Arrays.copyOf(got.getData(), got.getLength()));
            assertEquals(transport.rtpPort(), got.getPort());
        }
        assertEquals(new DeliveryStats(61, 60 * 1200 + 300, 0), delivery.stats());
        // Frames whose packets differ in size go packet by packet, and heap buffers are not a problem.
        List<ByteBuffer> uneven = List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4}),
                ByteBuffer.wrap(new byte[] {5, 6, 7, 8, 9}));
        assertTrue(delivery.send(uneven));
        for (ByteBuffer expected : uneven) {
            DatagramPacket got = client.receiveRtp();
            assertArrayEquals(bytes(expected), Arrays.copyOf(got.getData(), got.getLength()));
        }
        // Equal heap packets: the shape GSO takes, in memory the kernel cannot read directly.
        List<ByteBuffer> heap = frame(10, 500, 200, false);
        assertTrue(delivery.send(heap));
        for (ByteBuffer expected : heap) {
            DatagramPacket got = client.receiveRtp();
            assertArrayEquals(bytes(expected), Arrays.copyOf(got.getData(), got.getLength()));
        }
        for (ByteBuffer sent : frame) {
            assertEquals(0, sent.position(), "the caller's buffers are not moved");
        }
    }

    @Test
    void transportHeaderNamesTheClientAndTheEvenServerPortPair() throws Exception {
        UdpTransport transport = transport(settings());
        int rtp = transport.rtpPort();
        assertEquals(0, rtp % 2);
        Delivery delivery = transport.open(request(Map.of("unicast", "", "client_port", "5000-5001"), new Recorder()));
        assertEquals("RTP/AVP;unicast;client_port=5000-5001;server_port=" + rtp + "-" + (rtp + 1)
                + ";source=" + LOOPBACK.getHostAddress(), delivery.transportHeader());
    }

    @Test
    void sourceIsLeftOutWhenBoundToAllInterfaces() throws Exception {
        UdpTransport transport = transport(new UdpSettings(null, 0, 10, 1 << 20, 0, true, true));
        int rtp = transport.rtpPort();
        Delivery delivery = transport.open(request(Map.of("client_port", "5000-5001"), new Recorder()));
        assertEquals("RTP/AVP;unicast;client_port=5000-5001;server_port=" + rtp + "-" + (rtp + 1),
                delivery.transportHeader());
    }

    @Test
    void labClientsSinglePortWithSpaceMeansRtcpOnTheNextPort() throws Exception {
        UdpTransport transport = transport(settings());
        Client client = client();
        Delivery delivery = transport.open(request(Map.of("client_port", " " + client.rtp.getLocalPort()),
                new Recorder()));
        int port = client.rtp.getLocalPort();
        assertTrue(delivery.transportHeader().contains(";client_port=" + port + "-" + (port + 1) + ";"),
                delivery.transportHeader());

        delivery.sendControl(ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 200, 0, 0}));
        DatagramPacket got = client.receive(client.rtcp);
        assertEquals(transport.rtpPort() + 1, got.getPort());
        assertEquals(200, got.getData()[1] & 0xff);
    }

    @Test
    void rtcpFromAClientReachesOnlyItsOwnDelivery() throws Exception {
        UdpTransport transport = transport(settings());
        Client a = client();
        Client b = client();
        Recorder listenerA = new Recorder();
        Recorder listenerB = new Recorder();
        transport.open(request(a.ports(), listenerA));
        transport.open(request(b.ports(), listenerB));
        InetSocketAddress serverRtcp = new InetSocketAddress(LOOPBACK, transport.rtpPort() + 1);

        // From b's RTP port, not its RTCP port: an unknown sender, ignored.
        b.rtp.send(new DatagramPacket(new byte[] {9}, 1, serverRtcp));
        b.rtcp.send(new DatagramPacket(new byte[] {(byte) 0x80, (byte) 201, 0, 1}, 4, serverRtcp));

        byte[] rr = listenerB.control.poll(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 201, 0, 1}, rr);
        assertNull(listenerB.control.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(listenerA.control.isEmpty());
    }

    @Test
    void rtpFromAClientsRtpPortReachesOnlyItsOwnDeliveryAsData() throws Exception {
        UdpTransport transport = transport(settings());
        Client a = client();
        Client b = client();
        Recorder listenerA = new Recorder();
        Recorder listenerB = new Recorder();
        transport.open(request(a.ports(), listenerA));
        transport.open(request(b.ports(), listenerB));
        InetSocketAddress serverRtp = new InetSocketAddress(LOOPBACK, transport.rtpPort());

        // From b's RTCP port, not its RTP port: an unknown sender, ignored.
        b.rtcp.send(new DatagramPacket(new byte[] {9}, 1, serverRtp));
        b.rtp.send(new DatagramPacket(new byte[] {(byte) 0x80, 26, 0, 1}, 4, serverRtp));

        assertArrayEquals(new byte[] {(byte) 0x80, 26, 0, 1}, listenerB.data.poll(5, TimeUnit.SECONDS));
        assertNull(listenerB.data.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(listenerA.data.isEmpty());
        assertTrue(listenerB.control.isEmpty(), "media is not control");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void boundToAllInterfacesItSendsToAndRoutesRtcpFromAnIpv4Client(Mode mode) throws Exception {
        mode.assumeAvailable();
        // The default configuration: a dual-stack socket, where IPv4 senders may appear as mapped IPv6.
        UdpTransport transport = transport(new UdpSettings(null, 0, 10, 1 << 20, 0, mode.epoll, mode.gso));
        Client client = client();
        Recorder listener = new Recorder();
        Delivery delivery = transport.open(request(client.ports(), listener));

        client.rtcp.send(new DatagramPacket(new byte[] {(byte) 0x80, (byte) 201}, 2,
                new InetSocketAddress(LOOPBACK, transport.rtpPort() + 1)));
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 201}, listener.control.poll(5, TimeUnit.SECONDS));
        assertTrue(delivery.send(List.of(ByteBuffer.wrap(new byte[] {42}))));
        assertEquals(42, client.receiveRtp().getData()[0]);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void boundToAllInterfacesItSendsToAnIpv6ClientAndRoutesItsRtcpAndRtp(Mode mode) throws Exception {
        mode.assumeAvailable();
        UdpTransport transport = transport(new UdpSettings(null, 0, 10, 1 << 20, 0, mode.epoll, mode.gso));
        Client client = client(IPV6_LOOPBACK);
        Recorder listener = new Recorder();
        Delivery delivery = transport.open(request(client.ports(), listener, IPV6_LOOPBACK));
        assertTrue(delivery.transportHeader().startsWith("RTP/AVP;unicast;client_port=" + client.rtp.getLocalPort()
                + "-" + client.rtcp.getLocalPort() + ";server_port="), delivery.transportHeader());

        List<ByteBuffer> frame = frame(3, 1000, 10, true);
        assertTrue(delivery.send(frame));
        for (ByteBuffer expected : frame) {
            DatagramPacket got = client.receiveRtp();
            assertArrayEquals(bytes(expected), Arrays.copyOf(got.getData(), got.getLength()));
            assertEquals(IPV6_LOOPBACK, got.getAddress(), "sent over IPv6");
            assertEquals(transport.rtpPort(), got.getPort());
        }
        delivery.sendControl(ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 200, 0, 0}));
        assertEquals(200, client.receive(client.rtcp).getData()[1] & 0xFF);

        client.rtcp.send(new DatagramPacket(new byte[] {(byte) 0x80, (byte) 201}, 2,
                new InetSocketAddress(IPV6_LOOPBACK, transport.rtpPort() + 1)));
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 201}, listener.control.poll(5, TimeUnit.SECONDS));
        client.rtp.send(new DatagramPacket(new byte[] {(byte) 0x80, 26}, 2,
                new InetSocketAddress(IPV6_LOOPBACK, transport.rtpPort())));
        assertArrayEquals(new byte[] {(byte) 0x80, 26}, listener.data.poll(5, TimeUnit.SECONDS));
    }

    /** A peer given as ::ffff:127.0.0.1 is the IPv4 client 127.0.0.1: its media reaches it and its RTCP routes. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientNamedInItsIpv4MappedFormIsTheIpv4Client(Mode mode) throws Exception {
        mode.assumeAvailable();
        UdpTransport transport = transport(new UdpSettings(null, 0, 10, 1 << 20, 0, mode.epoll, mode.gso));
        Client client = client();
        Recorder listener = new Recorder();
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1}, -1);
        assertTrue(mapped instanceof Inet6Address);
        Delivery delivery = transport.open(request(client.ports(), listener, mapped));

        assertTrue(delivery.send(List.of(ByteBuffer.wrap(new byte[] {42}))));
        assertEquals(42, client.receiveRtp().getData()[0]);
        client.rtcp.send(new DatagramPacket(new byte[] {(byte) 0x80, (byte) 201}, 2,
                new InetSocketAddress(LOOPBACK, transport.rtpPort() + 1)));
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 201}, listener.control.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void boundToAnIpv4AddressAnIpv6ClientIsRefusedSayingWhatToDo() throws Exception {
        UdpTransport transport = transport(settings());
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(Map.of("client_port", "5000-5001"), new Recorder(), IPV6_LOOPBACK)));
        assertEquals("the UDP transport is bound to 127.0.0.1 (bindAddress in configuration "
                + "org.tributary.transport.udp) and cannot send to IPv6 client ::1; play over TCP (RTP/AVP/TCP), or "
                + "leave bindAddress empty for all interfaces", e.getMessage());
        assertEquals(0, transport.openDeliveries());
    }

    @Test
    void boundToAnIpv6AddressTheSourceIsItsCompressedForm() throws Exception {
        UdpTransport transport = transport(new UdpSettings(IPV6_LOOPBACK, 0, 10, 1 << 20, 0, true, true));
        Client client = client(IPV6_LOOPBACK);
        Delivery delivery = transport.open(request(client.ports(), new Recorder(), IPV6_LOOPBACK));
        assertTrue(delivery.transportHeader().endsWith(";source=::1"), delivery.transportHeader());
        assertTrue(delivery.send(List.of(ByteBuffer.wrap(new byte[] {7}))));
        assertEquals(7, client.receiveRtp().getData()[0]);
    }

    @Test
    void addressesAreWrittenCompressedAndMappedOnesAreCanonical() throws Exception {
        assertEquals("::1", Addresses.literal(IPV6_LOOPBACK));
        assertEquals("2001:db8::1:0:0:1", Addresses.literal(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.literal(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("fe80::1", Addresses.literal(InetAddress.getByName("fe80::1%1")));
        assertEquals("::", Addresses.literal(InetAddress.getByName("::")));
        assertEquals("1::", Addresses.literal(InetAddress.getByName("1:0:0:0:0:0:0:0")));
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1}, -1);
        assertEquals(InetAddress.getByName("192.0.2.1"), Addresses.canonical(mapped));
        assertEquals(IPV6_LOOPBACK, Addresses.canonical(IPV6_LOOPBACK));
    }

    @Test
    void aDestinationNamingAnotherHostIsIgnored() throws Exception {
        UdpTransport transport = transport(settings());
        Client client = client();
        Map<String, String> parameters = new LinkedHashMap<>(client.ports());
        parameters.put("destination", "192.0.2.7");
        Delivery delivery = transport.open(request(parameters, new Recorder()));

        assertTrue(delivery.send(List.of(ByteBuffer.wrap(new byte[] {42}))));
        assertEquals(42, client.receiveRtp().getData()[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "abc", "5000-", "-5001", "5000-x", "", "65535", "123456"})
    void unusableClientPortIsRefusedWithTheValue(String value) throws Exception {
        UdpTransport transport = transport(settings());
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(Map.of("client_port", value), new Recorder())));
        assertTrue(e.getMessage().contains("client_port="), e.getMessage());
        assertEquals(0, transport.openDeliveries());
    }

    @Test
    void missingClientPortIsRefused() throws Exception {
        UdpTransport transport = transport(settings());
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(Map.of("unicast", ""), new Recorder())));
        assertTrue(e.getMessage().startsWith("client_port missing"), e.getMessage());
    }

    @Test
    void multicastIsRefused() throws Exception {
        UdpTransport transport = transport(settings());
        assertThrows(TransportException.class,
                () -> transport.open(request(Map.of("multicast", "", "client_port", "5000-5001"), new Recorder())));
    }

    @Test
    void openingBeyondMaxDeliveriesIsRefusedUntilOneCloses() throws Exception {
        UdpTransport transport = transport(new UdpSettings(LOOPBACK, 0, 2, 1 << 20, 0, true, true));
        Delivery first = transport.open(request(Map.of("client_port", "5000-5001"), new Recorder()));
        transport.open(request(Map.of("client_port", "5002-5003"), new Recorder()));
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(Map.of("client_port", "5004-5005"), new Recorder())));
        assertTrue(e.getMessage().contains("maxDeliveries"), e.getMessage());

        first.close();
        first.close();
        assertEquals(1, transport.openDeliveries());
        transport.open(request(Map.of("client_port", "5004-5005"), new Recorder()));
    }

    @Test
    void aTakenPortFailsWithTheNumberInTheMessage() throws Exception {
        UdpTransport first = transport(settings());
        int taken = first.rtpPort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new UdpTransport(UdpSettings.defaults(LOOPBACK, taken)));
        assertTrue(e.getMessage().contains("port " + taken), e.getMessage());
        assertTrue(e.getMessage().contains("rtpPort"), e.getMessage());
        assertNoUdpThreadLeftExcept(first);
    }

    @Test
    void anOddRtpPortIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UdpSettings.defaults(LOOPBACK, 6971));
        assertTrue(e.getMessage().contains("6971"), e.getMessage());
    }

    @Test
    void closedDeliveryStopsSendingAndRoutingWithoutTellingItsListener() throws Exception {
        UdpTransport transport = transport(settings());
        Client client = client();
        Recorder listener = new Recorder();
        Delivery delivery = transport.open(request(client.ports(), listener));
        delivery.close();
        delivery.close();

        assertFalse(delivery.send(List.of(ByteBuffer.wrap(new byte[] {1}))));
        client.rtcp.send(new DatagramPacket(new byte[] {1, 2}, 2,
                new InetSocketAddress(LOOPBACK, transport.rtpPort() + 1)));
        assertNull(listener.control.poll(300, TimeUnit.MILLISECONDS));
        assertThrows(SocketTimeoutException.class, () -> client.receiveWithin(client.rtp, 500));
        assertTrue(listener.closed.isEmpty());
        assertEquals(0, transport.openDeliveries());
    }

    @Test
    void aNewDeliveryOnTheSamePortsTakesOverRtcpAndTheOldOneClosingLeavesItThere() throws Exception {
        UdpTransport transport = transport(settings());
        Client client = client();
        Recorder old = new Recorder();
        Recorder renewed = new Recorder();
        Delivery first = transport.open(request(client.ports(), old));
        transport.open(request(client.ports(), renewed));
        first.close();

        client.rtcp.send(new DatagramPacket(new byte[] {7}, 1, new InetSocketAddress(LOOPBACK, transport.rtpPort() + 1)));
        assertArrayEquals(new byte[] {7}, renewed.control.poll(5, TimeUnit.SECONDS));
        assertTrue(old.control.isEmpty());
    }

    @Test
    void aFrameIsDroppedWholeWhileTheSendQueueIsFull() throws Exception {
        UdpTransport transport = transport(new UdpSettings(LOOPBACK, 0, 10, 1000, 0, true, true));
        Client client = client();
        Delivery delivery = transport.open(request(client.ports(), new Recorder()));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        transport.rtpChannel().eventLoop().execute(() -> {
            held.countDown();
            awaitQuietly(release);
        });
        held.await();

        List<ByteBuffer> first = frame(4, 500, 500, true); // five packets
        assertTrue(delivery.send(first), "an empty queue takes a frame, even one larger than the queue");
        assertFalse(delivery.send(frame(4, 500, 500, true)), "the queue is over its limit: drop");
        release.countDown();

        for (ByteBuffer expected : first) {
            DatagramPacket got = client.receiveRtp();
            assertArrayEquals(bytes(expected), Arrays.copyOf(got.getData(), got.getLength()));
        }
        assertThrows(SocketTimeoutException.class, () -> client.receiveWithin(client.rtp, 500));
        assertEquals(new DeliveryStats(5, 2500, 1), delivery.stats());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void stoppingTheTransportEndsEveryDeliveryAndLeavesNoSocketOrThread(Mode mode) throws Exception {
        mode.assumeAvailable();
        UdpTransport transport = new UdpTransport(new UdpSettings(LOOPBACK, 0, 10, 1 << 20, 0, mode.epoll, mode.gso));
        int rtp = transport.rtpPort();
        Client client = client();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Delivery da = transport.open(request(client.ports(), a));
        transport.open(request(Map.of("client_port", "5000-5001"), b));
        assertTrue(da.send(frame(3, 100, 50, true)));
        assertTrue(transport.threads().stream().anyMatch(Thread::isAlive));

        transport.close();
        transport.close();

        assertEquals(List.of(UdpTransport.STOPPED_REASON), a.closedReasons());
        assertEquals(List.of(UdpTransport.STOPPED_REASON), b.closedReasons());
        assertFalse(da.send(frame(1, 10, 10, false)));
        assertThrows(TransportException.class, () -> transport.open(request(client.ports(), new Recorder())));
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(LOOPBACK, rtp));
                DatagramSocket againRtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, rtp + 1))) {
            assertEquals(rtp, again.getLocalPort());
        }
        assertNoUdpThreadLeftExcept(null);
    }

    private static void assertNoUdpThreadLeftExcept(UdpTransport running) {
        List<Thread> allowed = running == null ? List.of() : running.threads();
        List<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("tributary-udp") && !allowed.contains(t))
                .map(Thread::getName).toList();
        assertEquals(List.of(), left);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private UdpSettings settings() {
        return new UdpSettings(LOOPBACK, 0, 10, 1 << 20, 0, true, true);
    }

    private UdpTransport transport(UdpSettings settings) {
        UdpTransport transport = new UdpTransport(settings);
        toClose.add(transport);
        return transport;
    }

    private Client client() throws Exception {
        return client(LOOPBACK);
    }

    private Client client(InetAddress address) throws Exception {
        Client client = Client.open(address);
        toClose.add(client);
        return client;
    }

    private static DeliveryRequest request(Map<String, String> parameters, DeliveryListener listener) {
        return request(parameters, listener, LOOPBACK);
    }

    private static DeliveryRequest request(Map<String, String> parameters, DeliveryListener listener,
            InetAddress peer) {
        Map<String, String> withUnicast = new LinkedHashMap<>();
        withUnicast.put("unicast", "");
        withUnicast.putAll(parameters);
        return new DeliveryRequest("RTP/AVP", withUnicast, new InetSocketAddress(peer, 40000), null, listener);
    }

    /** Packets of {@code size} bytes, the last of {@code lastSize}, each filled with its index. */
    static List<ByteBuffer> frame(int count, int size, int lastSize, boolean direct) {
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            int n = i == count ? lastSize : size;
            ByteBuffer packet = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
            for (int j = 0; j < n; j++) {
                packet.put((byte) (i * 31 + j));
            }
            packets.add(packet.flip().asReadOnlyBuffer());
        }
        return packets;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** A client's pair of receiving sockets on a loopback address. */
    static final class Client implements AutoCloseable {
        final DatagramSocket rtp;
        final DatagramSocket rtcp;

        private Client(DatagramSocket rtp, DatagramSocket rtcp) {
            this.rtp = rtp;
            this.rtcp = rtcp;
        }

        static Client open() throws Exception {
            return open(LOOPBACK);
        }

        static Client open(InetAddress address) throws Exception {
            for (int attempt = 0; attempt < 50; attempt++) {
                DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(address, 0));
                try {
                    DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(address, rtp.getLocalPort() + 1));
                    // What must arrive may take a while on a busy machine; what must not is watched for 500 ms
                    // (receiveWithin).
                    rtp.setSoTimeout(30_000);
                    rtcp.setSoTimeout(30_000);
                    rtp.setReceiveBufferSize(1 << 21);
                    return new Client(rtp, rtcp);
                } catch (java.net.SocketException e) {
                    rtp.close();
                }
            }
            throw new IllegalStateException("no free pair of client ports");
        }

        Map<String, String> ports() {
            return Map.of("client_port", rtp.getLocalPort() + "-" + rtcp.getLocalPort());
        }

        DatagramPacket receiveRtp() throws Exception {
            return receive(rtp);
        }

        DatagramPacket receive(DatagramSocket socket) throws Exception {
            DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
            socket.receive(packet);
            return packet;
        }

        /** A packet that arrives within {@code millis}, else {@link SocketTimeoutException}. */
        DatagramPacket receiveWithin(DatagramSocket socket, int millis) throws Exception {
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout(millis);
            try {
                return receive(socket);
            } finally {
                socket.setSoTimeout(timeout);
            }
        }

        @Override
        public void close() {
            rtp.close();
            rtcp.close();
        }
    }

    /** Remembers what the transport told a delivery's listener. */
    static final class Recorder implements DeliveryListener {
        final BlockingQueue<byte[]> control = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> data = new LinkedBlockingQueue<>();
        final BlockingQueue<String> closed = new LinkedBlockingQueue<>();

        @Override
        public void onControl(ByteBuffer rtcp) {
            byte[] bytes = new byte[rtcp.remaining()];
            rtcp.get(bytes);
            control.add(bytes);
        }

        @Override
        public void onData(ByteBuffer rtp) {
            byte[] bytes = new byte[rtp.remaining()];
            rtp.get(bytes);
            data.add(bytes);
        }

        @Override
        public void onClosed(String reason) {
            closed.add(reason);
        }

        List<String> closedReasons() {
            return List.copyOf(closed);
        }
    }
}
