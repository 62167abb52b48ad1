package org.tributary.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.DeliveryStats;
import org.tributary.api.InterleavedConnection;
import org.tributary.api.TransportException;
import org.tributary.transport.tcp.internal.SocketConnection.Peer.Packet;

class TcpTransportTest {

    private static final byte[] RECEIVER_REPORT = {(byte) 0x80, (byte) 201, 0, 1, 1, 2, 3, 4};

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void withoutTheRtspConnectionItIsRefused() {
        TcpTransport transport = transport(TcpSettings.defaults());
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(null, Map.of("interleaved", "0-1"), new Recorder())));
        assertEquals("interleaved transport needs the RTSP connection", e.getMessage());
        assertEquals(0, transport.openDeliveries());
    }

    @Test
    void aClientThatNamesNoChannelsGetsTheNextFreePairAndItsPacketsGoThere() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        Delivery first = transport.open(request(connection, Map.of(), new Recorder()));
        Delivery second = transport.open(request(connection, Map.of(), new Recorder()));
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1", first.transportHeader());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=2-3", second.transportHeader());

        List<ByteBuffer> frame = frame(5, 1400, 300);
        assertTrue(second.send(frame));
        for (ByteBuffer expected : frame) {
            Packet got = connection.peer.read();
            assertEquals(2, got.channel());
            assertArrayEquals(bytes(expected), got.bytes());
        }
        second.sendControl(ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 200, 0, 0}));
        Packet report = connection.peer.read();
        assertEquals(3, report.channel());
        assertEquals(200, report.bytes()[1] & 0xFF);
        assertEquals(new DeliveryStats(6, 5 * 1400 + 300, 0), second.stats());
        assertEquals(DeliveryStats.NONE, first.stats());
        for (ByteBuffer sent : frame) {
            assertEquals(0, sent.position(), "the caller's buffers are not moved");
        }
    }

    @Test
    void theChannelsTheClientNamedAreEchoedAndUsed() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        Delivery pair = transport.open(request(connection, Map.of("unicast", "", "interleaved", "4-5"), new Recorder()));
        Delivery single = transport.open(request(connection, Map.of("interleaved", " 6 "), new Recorder()));
        Delivery spaced = transport.open(request(connection, Map.of("interleaved", "11 - 10"), new Recorder()));
        assertEquals("RTP/AVP/TCP;unicast;interleaved=4-5", pair.transportHeader());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=6-7", single.transportHeader());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=11-10", spaced.transportHeader());

        assertTrue(pair.send(List.of(ByteBuffer.wrap(new byte[] {42}))));
        assertTrue(spaced.send(List.of(ByteBuffer.wrap(new byte[] {43}))));
        assertEquals(4, connection.peer.read().channel());
        assertEquals(11, connection.peer.read().channel());
    }

    @Test
    void aPairInUseOnTheConnectionIsRefusedUntilItsDeliveryCloses() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        SocketConnection other = connection();
        Delivery first = transport.open(request(connection, Map.of("interleaved", "0-1"), new Recorder()));

        for (String taken : List.of("0-1", "1-2", "2-0")) {
            TransportException e = assertThrows(TransportException.class,
                    () -> transport.open(request(connection, Map.of("interleaved", taken), new Recorder())));
            assertTrue(e.getMessage().contains("in use by another track"), e.getMessage());
        }
        assertEquals(1, transport.openDeliveries());
        transport.open(request(other, Map.of("interleaved", "0-1"), new Recorder()));

        first.close();
        Delivery again = transport.open(request(connection, Map.of("interleaved", "0-1"), new Recorder()));
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1", again.transportHeader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"256", "-1", "a", "0-0", "255", "1-", "-1-2", "0-256", "", "1000", "0-1-2"})
    void unusableInterleavedIsRefusedWithTheValue(String value) throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(connection, Map.of("interleaved", value), new Recorder())));
        assertTrue(e.getMessage().startsWith("interleaved="), e.getMessage());
        assertEquals(0, transport.openDeliveries());
        assertEquals(0, transport.connectionsInUse());
    }

    @Test
    void rtcpFromTheClientReachesOnlyTheDeliveryOfItsChannel() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        transport.open(request(connection, Map.of("interleaved", "0-1"), a));
        transport.open(request(connection, Map.of("interleaved", "2-3"), b));

        connection.peer.send(0, new byte[] {9, 9});
        connection.peer.send(3, RECEIVER_REPORT);

        assertArrayEquals(RECEIVER_REPORT, b.control.poll(5, TimeUnit.SECONDS));
        assertNull(b.control.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(a.control.isEmpty());
    }

    @Test
    void aFrameTheConnectionRefusesIsDroppedWholeAndCounted() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        Delivery delivery = transport.open(request(connection, Map.of(), new Recorder()));

        connection.full = true;
        assertFalse(delivery.send(frame(3, 1000, 10)));
        assertFalse(delivery.send(frame(3, 1000, 10)));
        assertEquals(new DeliveryStats(0, 0, 2), delivery.stats());
        assertFalse(connection.peer.receivesWithin(200), "nothing of a refused frame reaches the client");

        connection.full = false;
        List<ByteBuffer> next = frame(2, 500, 20);
        assertTrue(delivery.send(next));
        for (ByteBuffer expected : next) {
            assertArrayEquals(bytes(expected), connection.peer.read().bytes());
        }
        assertEquals(new DeliveryStats(3, 1020, 2), delivery.stats());
        assertTrue(delivery.send(List.of()), "an empty frame is sent, as nothing");
    }

    @Test
    void closingADeliveryStopsItAndFreesItsChannelsWithoutTellingItsListener() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        Recorder listener = new Recorder();
        Delivery delivery = transport.open(request(connection, Map.of("interleaved", "0-1"), listener));
        assertTrue(connection.routes(1));

        delivery.close();
        delivery.close();

        assertFalse(connection.routes(1));
        assertFalse(delivery.send(List.of(ByteBuffer.wrap(new byte[] {1}))));
        delivery.sendControl(ByteBuffer.wrap(RECEIVER_REPORT));
        assertFalse(connection.peer.receivesWithin(200));
        connection.peer.send(1, RECEIVER_REPORT);
        assertNull(listener.control.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(listener.closed.isEmpty());
        assertEquals(0, transport.openDeliveries());
        assertEquals(0, transport.connectionsInUse(), "a connection without deliveries is forgotten");
    }

    @Test
    void stoppingTheTransportEndsEveryDeliveryAndRefusesNewOnes() throws Exception {
        TcpTransport transport = new TcpTransport(TcpSettings.defaults());
        SocketConnection one = connection();
        SocketConnection two = connection();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Delivery da = transport.open(request(one, Map.of(), a));
        transport.open(request(two, Map.of("interleaved", "8-9"), b));
        assertTrue(da.send(frame(1, 100, 50)));

        transport.close();
        transport.close();

        assertEquals(List.of(TcpTransport.STOPPED_REASON), a.closedReasons());
        assertEquals(List.of(TcpTransport.STOPPED_REASON), b.closedReasons());
        assertFalse(da.send(frame(1, 10, 10)));
        assertFalse(one.routes(1));
        assertFalse(two.routes(9));
        assertEquals(0, transport.openDeliveries());
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(one, Map.of(), new Recorder())));
        assertTrue(e.getMessage().contains("stopping"), e.getMessage());
        assertTrue(one.write(0, List.of(ByteBuffer.wrap(new byte[] {7}))), "the connection stays the server's");
    }

    @Test
    void openingBeyondMaxDeliveriesIsRefusedUntilOneCloses() throws Exception {
        TcpTransport transport = transport(new TcpSettings(2));
        SocketConnection connection = connection();
        Delivery first = transport.open(request(connection, Map.of(), new Recorder()));
        transport.open(request(connection, Map.of(), new Recorder()));
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(connection, Map.of(), new Recorder())));
        assertTrue(e.getMessage().contains("maxDeliveries"), e.getMessage());

        first.close();
        first.close();
        assertEquals(1, transport.openDeliveries());
        transport.open(request(connection, Map.of(), new Recorder()));
    }

    @Test
    void aConnectionWithEveryPairTakenRefusesAnotherTrack() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        for (int i = 0; i < 128; i++) {
            transport.open(request(connection, Map.of(), new Recorder()));
        }
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(connection, Map.of(), new Recorder())));
        assertTrue(e.getMessage().startsWith("no free interleaved channel pair"), e.getMessage());
        assertEquals(128, transport.openDeliveries());
    }

    @Test
    void aFreePairTheConnectionOffersThatATrackHoldsIsRefused() throws Exception {
        TcpTransport transport = transport(TcpSettings.defaults());
        SocketConnection connection = connection();
        // A connection that forgot a claim: the transport's own record still keeps the tracks apart.
        InterleavedConnection forgetful = new InterleavedConnection() {
            @Override
            public boolean write(int channel, List<ByteBuffer> packets) {
                return connection.write(channel, packets);
            }

            @Override
            public void receive(int channel, java.util.function.Consumer<ByteBuffer> receiver) {
            }

            @Override
            public int[] freeChannelPair() {
                return new int[] {0, 1};
            }
        };
        transport.open(request(forgetful, Map.of(), new Recorder()));
        TransportException e = assertThrows(TransportException.class,
                () -> transport.open(request(forgetful, Map.of(), new Recorder())));
        assertTrue(e.getMessage().contains("in use by another track"), e.getMessage());
    }

    @Test
    void aMaximumBelowOneIsRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TcpSettings(0));
        assertTrue(e.getMessage().contains("maxDeliveries 0"), e.getMessage());
        assertTrue(e.getMessage().contains(TcpTransport.PID), e.getMessage());
    }

    @Test
    void sendingAFrameAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        TcpTransport transport = transport(TcpSettings.defaults());
        InterleavedConnection accepting = new InterleavedConnection() {
            @Override
            public boolean write(int channel, List<ByteBuffer> packets) {
                return true;
            }

            @Override
            public void receive(int channel, java.util.function.Consumer<ByteBuffer> receiver) {
            }

            @Override
            public int[] freeChannelPair() {
                return new int[] {0, 1};
            }
        };
        Delivery delivery = transport.open(request(accepting, Map.of(), new Recorder()));
        List<ByteBuffer> frame = frame(28, 1400, 600);
        for (int i = 0; i < 200_000; i++) {
            delivery.send(frame);
        }
        int sends = 1_000_000;
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        for (int i = 0; i < sends; i++) {
            delivery.send(frame);
        }
        long nanos = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        System.out.printf("TcpDelivery.send of a 29-packet frame: %.1f ns, %d bytes allocated in %d sends%n",
                (double) nanos / sends, allocated, sends);
        assertTrue(allocated < 4096, allocated + " bytes allocated in " + sends + " sends");
        assertEquals(1_200_000L * 29, delivery.stats().packets());
    }

    private TcpTransport transport(TcpSettings settings) {
        TcpTransport transport = new TcpTransport(settings);
        toClose.add(transport);
        return transport;
    }

    private SocketConnection connection() throws Exception {
        SocketConnection connection = SocketConnection.open();
        toClose.add(connection);
        return connection;
    }

    private static DeliveryRequest request(InterleavedConnection connection, Map<String, String> parameters,
            DeliveryListener listener) {
        return new DeliveryRequest("RTP/AVP/TCP", parameters,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), connection, listener);
    }

    /** {@code count} packets of {@code size} bytes and a last one of {@code lastSize}, each filled with its index. */
    static List<ByteBuffer> frame(int count, int size, int lastSize) {
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            int n = i == count ? lastSize : size;
            byte[] bytes = new byte[n];
            Arrays.fill(bytes, (byte) i);
            packets.add(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        }
        return packets;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Remembers what the transport told a delivery's listener. */
    static final class Recorder implements DeliveryListener {
        final BlockingQueue<byte[]> control = new LinkedBlockingQueue<>();
        final BlockingQueue<String> closed = new LinkedBlockingQueue<>();

        @Override
        public void onControl(ByteBuffer rtcp) {
            byte[] bytes = new byte[rtcp.remaining()];
            rtcp.get(bytes);
            control.add(bytes);
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
