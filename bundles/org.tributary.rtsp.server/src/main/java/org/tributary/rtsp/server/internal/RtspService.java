package org.tributary.rtsp.server.internal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Codec;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.MediaInfo;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;
import org.tributary.api.Transport;
import org.tributary.api.TransportException;
import org.tributary.rtp.PayloadFormat;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.h264.H264PayloadFormat;
import org.tributary.rtp.jpeg.JpegPayloadFormat;
import org.tributary.rtp.jpeg.RawJpegPayloadFormat;
import org.tributary.rtp.sdp.SdpParser;
import org.tributary.rtp.sdp.SdpTrack;
import org.tributary.rtp.sdp.SdpWriter;
import org.tributary.rtp.sdp.SessionDescription;

/**
 * The RTSP methods: what each request does to the sessions and what it answers (RFC 2326, with the client
 * quirks of PROTOCOL.md). Called on request workers, one request of a connection at a time; may block on
 * {@link Streams#open}, {@link Transport#open} and a seeking {@code Playback.play}.
 *
 * <p>Publishing (see {@link PublishSession}): ANNOUNCE with an {@code application/sdp} body of one JPEG or H.264
 * video track holds the path, if {@link PublishAccess} lets the client publish there and nothing is mounted at
 * it (403 {@code Path 'x' already has a source} otherwise; 415 for other media); SETUP with {@code mode=record}
 * on the same connection opens the transport the client asked for (interleaved TCP, or UDP to and from
 * {@code client_port}); RECORD makes the stream live at the path. Requests carrying a publisher's session are
 * answered for it: keepalives, RECORD and TEARDOWN; anything else 455.
 *
 * <p>Redirects (see {@link Redirects}): a request without a session for a redirected path answers 302 with its
 * Location, before anything else is looked at.
 *
 * <p>Thread-safe; it keeps no state of its own beyond the registries it is given.
 */
final class RtspService {

    private static final Logger LOG = LoggerFactory.getLogger(RtspService.class);

    static final String PUBLIC = "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, PAUSE, RECORD, TEARDOWN, GET_PARAMETER, "
            + "SET_PARAMETER";
    static final String SERVER = "Tributary";
    static final String TRACK_CONTROL = "trackID=0";

    /** The dynamic payload type of H.264 (PROTOCOL.md §4). */
    static final int H264_PAYLOAD_TYPE = 96;

    /** The longest DESCRIBE (or push) waits for a starting H.264 source to tell its SPS and PPS. */
    static final long PARAMETER_SETS_WAIT_MILLIS = 2000;

    private static final long PARAMETER_SETS_POLL_MILLIS = 50;

    private final Streams streams;
    private final TransportRegistry transports;
    private final SessionRegistry sessions;
    private final int sessionTimeoutSeconds;
    private final PublishAccess access;
    private final Redirects redirects;
    private final SourceRegistrar registrar;

    /** A service where nobody publishes and nothing is redirected. */
    RtspService(Streams streams, TransportRegistry transports, SessionRegistry sessions, int sessionTimeoutSeconds) {
        this(streams, transports, sessions, sessionTimeoutSeconds, PublishAccess.OFF, Redirects.NONE,
                SourceRegistrar.NONE);
    }

    RtspService(Streams streams, TransportRegistry transports, SessionRegistry sessions, int sessionTimeoutSeconds,
            PublishAccess access, Redirects redirects, SourceRegistrar registrar) {
        this.streams = streams;
        this.transports = transports;
        this.sessions = sessions;
        this.sessionTimeoutSeconds = sessionTimeoutSeconds;
        this.access = access;
        this.redirects = redirects;
        this.registrar = registrar;
    }

    /** The reply to bytes {@link RtspDecoder} could not read. */
    RtspResponse malformed(MalformedRequest m) {
        RtspResponse r = new RtspResponse(RtspStatus.BAD_REQUEST, m.reason()).cseq(m.cseq()).lab(m.lab());
        if (!m.lab()) {
            r.header("Server", SERVER);
        }
        return m.close() ? r.closeAfter() : r;
    }

    /** Answers one request; never throws. */
    RtspResponse handle(RtspRequest request, RtspConnection connection) {
        String cseq = request.cseq();
        boolean lab = request.bareUri() || isLabTransport(request);
        RtspResponse response;
        if (cseq == null || !RtspDecoder.isCseq(cseq)) {
            response = new RtspResponse(RtspStatus.BAD_REQUEST, "Missing CSeq");
        } else if (!request.version().startsWith("RTSP/1.")) {
            response = new RtspResponse(RtspStatus.RTSP_VERSION_NOT_SUPPORTED);
        } else if (request.header("Require") != null) {
            response = new RtspResponse(RtspStatus.OPTION_NOT_SUPPORTED).header("Unsupported", request.header("Require"));
        } else {
            try {
                String location = request.sessionId() == null ? redirects.location(request.uri()) : null;
                PublishSession publisher = sessions.publisher(request.sessionId());
                if (location != null) {
                    response = new RtspResponse(RtspStatus.MOVED_TEMPORARILY).header("Location", location);
                } else if (publisher != null) {
                    response = forPublisher(request, connection, publisher);
                } else {
                    response = dispatch(request, connection);
                }
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed", request.method(), request.uri(), e);
                response = new RtspResponse(RtspStatus.INTERNAL_SERVER_ERROR);
            }
        }
        response.cseq(cseq != null && RtspDecoder.isCseq(cseq) ? cseq : null);
        RtspSession session = sessions.get(request.sessionId());
        if (lab || session != null && session.lab()) {
            response.lab(true);
        } else {
            response.header("Server", SERVER);
        }
        return response;
    }

    private static boolean isLabTransport(RtspRequest request) {
        String transport = request.header("Transport");
        return transport != null && TransportSpec.parseHeader(transport).stream().anyMatch(TransportSpec::labProfile);
    }

    private RtspResponse dispatch(RtspRequest request, RtspConnection connection) {
        return switch (request.method()) {
            case "OPTIONS" -> options(request);
            case "DESCRIBE" -> describe(request, connection);
            case "ANNOUNCE" -> announce(request, connection);
            case "RECORD" -> new RtspResponse(request.sessionId() == null ? RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE
                    : RtspStatus.SESSION_NOT_FOUND);
            case "SETUP" -> setup(request, connection);
            case "PLAY" -> play(request);
            case "PAUSE" -> pause(request);
            case "TEARDOWN" -> teardown(request);
            case "GET_PARAMETER" -> parameter(request, false);
            case "SET_PARAMETER" -> parameter(request, true);
            default -> new RtspResponse(RtspStatus.NOT_IMPLEMENTED).header("Public", PUBLIC);
        };
    }

    private RtspResponse options(RtspRequest request) {
        RtspResponse response = new RtspResponse(RtspStatus.OK);
        if (request.sessionId() != null) {
            RtspSession session = sessions.get(request.sessionId());
            if (session == null) {
                return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
            }
            session.touch();
            withSession(response, session);
        }
        return response.header("Public", PUBLIC);
    }

    private RtspResponse describe(RtspRequest request, RtspConnection connection) {
        RequestPath path = resolve(request.uri());
        Optional<StreamInfo> found = path == null ? Optional.empty() : streams.get(path.stream());
        if (found.isEmpty()) {
            return new RtspResponse(RtspStatus.NOT_FOUND);
        }
        StreamInfo stream = withParameterSets(found.get());
        if (stream.state() == StreamState.FAILED || stream.state() == StreamState.STOPPED) {
            return unavailable(stream);
        }
        MediaInfo media = stream.info();
        if (lacksParameterSets(media)) {
            return new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE, "Stream " + stream.name()
                    + " is starting: its H.264 parameter sets are not known yet").header("Retry-After", "2");
        }
        Format format = Format.of(media, false);
        if (format == null) {
            return new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE, "Stream " + stream.name() + " is "
                    + media.codec().encodingName() + ", which this server cannot send over RTP yet");
        }
        InetSocketAddress local = connection.local();
        String base = contentBase(request.uri(), local, stream.name());
        String sdp = SdpWriter.write(stream.name(), SdpWriter.literal(local.getAddress()), media.duration(),
                List.of(new SdpTrack(media.codec(), format.payloadType, TRACK_CONTROL, media.width(),
                        media.height(), media.frameRate(), media.parameterSets())));
        return new RtspResponse(RtspStatus.OK)
                .header("Content-Base", base)
                .body("application/sdp", sdp.getBytes(StandardCharsets.UTF_8));
    }

    private RtspResponse setup(RtspRequest request, RtspConnection connection) {
        List<TransportSpec> specs = TransportSpec.parseHeader(request.header("Transport"));
        if (specs.stream().anyMatch(RtspService::recording)) {
            return setupRecord(request, connection, specs);
        }
        boolean lab = request.bareUri() || specs.stream().anyMatch(TransportSpec::labProfile);
        RtspSession session = null;
        if (request.sessionId() != null) {
            session = sessions.get(request.sessionId());
            if (session == null) {
                return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
            }
            session.touch();
        }
        RequestPath path = resolve(request.uri());
        if (path == null) {
            return new RtspResponse(RtspStatus.NOT_FOUND);
        }
        if (!path.control().isEmpty() && !path.control().equalsIgnoreCase(TRACK_CONTROL)) {
            return new RtspResponse(RtspStatus.NOT_FOUND, "No Track " + path.control());
        }
        if (session != null && !session.stream().equals(path.stream())) {
            return new RtspResponse(RtspStatus.AGGREGATE_OPERATION_NOT_ALLOWED,
                    "Session " + session.id() + " plays " + session.stream());
        }
        TransportRegistry.Choice choice = transports.choose(specs);
        if (choice == null) {
            return new RtspResponse(RtspStatus.UNSUPPORTED_TRANSPORT);
        }
        TransportSpec spec = choice.spec();
        Transport transport = choice.transport();
        boolean created = false;
        if (session == null) {
            Optional<StreamInfo> stream = streams.get(path.stream());
            if (stream.isEmpty()) {
                return new RtspResponse(RtspStatus.NOT_FOUND);
            }
            MediaInfo media = stream.get().info();
            Format format = Format.of(media, lab);
            if (format == null) {
                return new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE, "Stream " + path.stream() + " is "
                        + media.codec().encodingName() + ", which " + (lab ? "the lab client cannot play"
                                : "this server cannot send over RTP yet"));
            }
            if (!sessions.reserve()) {
                return new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE,
                        "Too Many Sessions (at most " + sessions.maxSessions() + ")");
            }
            session = new RtspSession(sessions.newId(lab), lab, path.stream(), media, connection.peer(), connection,
                    streams, sessions);
            try {
                session.open(rtpFor(session, format, connection.local().getAddress()));
            } catch (StreamException e) {
                sessions.unreserve();
                session.end("setup failed", false);
                return e.kind() == StreamException.Kind.NOT_FOUND ? new RtspResponse(RtspStatus.NOT_FOUND)
                        : new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE, e.getMessage());
            }
            created = true;
        }
        String interleaved = spec.parameters().get("interleaved");
        if (interleaved != null) {
            for (String channel : interleaved.split("-")) {
                try {
                    connection.claim(Integer.parseInt(channel.trim()));
                } catch (NumberFormatException e) {
                    // The transport judges the parameter and refuses it.
                }
            }
        }
        DeliveryListener listener = session.newListener();
        Delivery delivery;
        try {
            delivery = transport.open(new DeliveryRequest(spec.profile(), spec.parameters(), connection.peer(),
                    connection, listener));
        } catch (TransportException | RuntimeException e) {
            if (created) {
                sessions.unreserve();
                session.end("setup failed", false);
            }
            return new RtspResponse(RtspStatus.UNSUPPORTED_TRANSPORT, e.getMessage());
        }
        session.setDelivery(delivery, listener, transport, spec.profile(), request.uri());
        if (created) {
            sessions.add(session);
        }
        RtspResponse response = new RtspResponse(RtspStatus.OK);
        if (!session.lab()) {
            response.header("Transport", delivery.transportHeader() + ";ssrc="
                    + String.format("%08X", session.rtp().ssrc()));
        }
        return withSession(response, session);
    }

    /** Whether a transport specification asks to send media to the server ({@code mode=record}, RFC 2326 §12.39). */
    private static boolean recording(TransportSpec spec) {
        String mode = spec.parameters().get("mode");
        return mode != null && (mode.equalsIgnoreCase("record") || mode.equalsIgnoreCase("receive"));
    }

    private RtspResponse announce(RtspRequest request, RtspConnection connection) {
        String path = RequestPath.pathOf(request.uri());
        if (request.bareUri() || path.isEmpty()) {
            return new RtspResponse(RtspStatus.BAD_REQUEST, "ANNOUNCE needs a path, e.g. rtsp://host:8554/live");
        }
        RtspResponse refused = access.check(request, connection.peer().getAddress(), path);
        if (refused != null) {
            return refused;
        }
        String type = request.header("Content-Type");
        if (type == null || !type.trim().toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            return new RtspResponse(RtspStatus.UNSUPPORTED_MEDIA_TYPE, "ANNOUNCE needs an application/sdp body");
        }
        SessionDescription sdp;
        try {
            sdp = SdpParser.parse(new String(request.body(), StandardCharsets.UTF_8));
        } catch (RtpException e) {
            return new RtspResponse(RtspStatus.BAD_REQUEST, "Unreadable SDP: " + e.getMessage());
        }
        PublishedMedia media;
        try {
            media = PublishedMedia.of(sdp);
        } catch (IllegalArgumentException e) {
            return new RtspResponse(RtspStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
        }
        if (streams.get(path).isPresent()) {
            return taken(path);
        }
        PublishSession publication = new PublishSession(path, media, connection, sessions);
        if (!sessions.claimPath(publication)) {
            return taken(path);
        }
        return new RtspResponse(RtspStatus.OK);
    }

    private static RtspResponse taken(String path) {
        return new RtspResponse(RtspStatus.FORBIDDEN, "Path '" + path + "' already has a source");
    }

    private RtspResponse setupRecord(RtspRequest request, RtspConnection connection, List<TransportSpec> specs) {
        if (request.sessionId() != null) {
            return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
        }
        RequestPath path = RequestPath.resolve(request.uri(), name -> sessions.publication(name) != null);
        PublishSession publication = path == null ? null : sessions.publication(path.stream());
        if (publication == null || publication.connection() != connection) {
            return new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE,
                    "ANNOUNCE the stream on this connection before SETUP with mode=record");
        }
        if (publication.id() != null) {
            return new RtspResponse(RtspStatus.AGGREGATE_OPERATION_NOT_ALLOWED,
                    "Stream " + publication.path() + " is set up already; publish one track");
        }
        TransportRegistry.Choice choice = transports.choose(specs);
        if (choice == null) {
            return new RtspResponse(RtspStatus.UNSUPPORTED_TRANSPORT);
        }
        TransportSpec spec = choice.spec();
        Transport transport = choice.transport();
        if (!sessions.reserve()) {
            return new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE,
                    "Too Many Sessions (at most " + sessions.maxSessions() + ")");
        }
        Delivery delivery;
        try {
            delivery = transport.open(new DeliveryRequest(spec.profile(), spec.parameters(), connection.peer(),
                    connection, publication.newListener()));
        } catch (TransportException | RuntimeException e) {
            sessions.unreserve();
            return new RtspResponse(RtspStatus.UNSUPPORTED_TRANSPORT, e.getMessage());
        }
        publication.id(sessions.newId(false));
        publication.setDelivery(delivery, transport, spec.profile());
        sessions.addPublisher(publication);
        if (publication.ended()) {
            // The connection closed meanwhile: its cleanup may have missed the id given just now.
            sessions.endPublisher(publication, connection.closeReason());
            return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
        }
        return new RtspResponse(RtspStatus.OK).header("Transport", delivery.transportHeader() + ";mode=record")
                .header("Session", publication.id() + ";timeout=" + sessionTimeoutSeconds);
    }

    /** A request with a publisher's session id. */
    private RtspResponse forPublisher(RtspRequest request, RtspConnection connection, PublishSession publication) {
        publication.touch();
        String session = publication.id() + ";timeout=" + sessionTimeoutSeconds;
        return switch (request.method()) {
            case "OPTIONS" -> new RtspResponse(RtspStatus.OK).header("Session", session).header("Public", PUBLIC);
            case "GET_PARAMETER", "SET_PARAMETER" -> new RtspResponse(RtspStatus.OK).header("Session", session);
            case "RECORD" -> record(connection, publication).header("Session", session);
            case "TEARDOWN" -> {
                sessions.endPublisher(publication, "teardown");
                yield new RtspResponse(RtspStatus.OK).header("Session", session);
            }
            default -> new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE, "Session " + publication.id()
                    + " publishes " + publication.path() + "; it takes RECORD, TEARDOWN and keepalives")
                    .header("Session", session);
        };
    }

    private RtspResponse record(RtspConnection connection, PublishSession publication) {
        if (publication.connection() != connection) {
            return new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE,
                    "RECORD on the connection that announced the stream");
        }
        if (publication.state() == SessionState.RECORDING) {
            return new RtspResponse(RtspStatus.OK);
        }
        if (streams.get(publication.path()).isPresent()) {
            sessions.endPublisher(publication, "path taken");
            return taken(publication.path());
        }
        try {
            publication.record(registrar);
        } catch (IllegalStateException e) {
            sessions.endPublisher(publication, "cannot be mounted");
            return new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE, "Stream " + publication.path()
                    + " cannot be published: " + e.getMessage());
        }
        return new RtspResponse(RtspStatus.OK);
    }

    private RtpOut rtpFor(RtspSession session, Format format, InetAddress local) {
        String cname = "tributary@" + SdpWriter.literal(local);
        if (session.media().live() && !session.lab()) {
            return sessions.acquireShared(session.stream() + "|" + format.name(), () -> new RtpOut(format.format(),
                    format.payloadType, sessions.randomInt(), sessions.randomInt() & 0xFFFF, sessions.randomInt(),
                    format.maxPacketSize, cname, true, sessions.packetizedCounter(session.stream())));
        }
        // The lab client shows the sequence number as the frame number and drops frames not above the last.
        int sequence = session.lab() ? 1 : sessions.randomInt() & 0xFFFF;
        return new RtpOut(format.format(), format.payloadType, sessions.randomInt(), sequence, sessions.randomInt(),
                format.maxPacketSize, cname, false, new LongAdder());
    }

    /**
     * Starts an RTP push (see {@link org.tributary.api.Sessions#push}): a session without RTSP that plays the
     * stream at once to {@code destination} over the {@code RTP/AVP} transport.
     */
    SessionInfo push(String name, InetSocketAddress destination) throws StreamException, TransportException {
        if (destination.getAddress() == null) {
            throw new TransportException("cannot push to " + destination.getHostString() + ": unknown host");
        }
        if (destination.getPort() < 1 || destination.getPort() > 65534) {
            throw new TransportException("cannot push to port " + destination.getPort()
                    + ": RTP needs a port from 1 to 65534 (RTCP goes to the next one)");
        }
        Optional<StreamInfo> found = streams.get(name);
        if (found.isEmpty()) {
            throw new StreamException(StreamException.Kind.NOT_FOUND, "no stream named '" + name + "'");
        }
        StreamInfo stream = withParameterSets(found.get());
        if (stream.state() == StreamState.FAILED || stream.state() == StreamState.STOPPED) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE, unavailable(stream).reason());
        }
        MediaInfo media = stream.info();
        if (lacksParameterSets(media)) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE, "stream '" + name
                    + "' is starting: its H.264 parameter sets are not known yet; try again in a few seconds");
        }
        Format format = Format.of(media, false);
        if (format == null) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE, "stream '" + name + "' is "
                    + media.codec().encodingName() + ", which this server cannot send over RTP yet");
        }
        Transport udp = transports.find(TransportSpec.normalize("RTP/AVP"));
        if (udp == null) {
            throw new TransportException("no UDP transport is installed (bundle org.tributary.transport.udp)");
        }
        if (!sessions.reserve()) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE,
                    "too many sessions (at most " + sessions.maxSessions() + ")");
        }
        InetAddress local = localAddressTowards(destination);
        RtspSession session = new RtspSession(sessions.newId(false), false, name, media, destination, null, streams,
                sessions);
        boolean added = false;
        try {
            session.open(rtpFor(session, format, local));
            DeliveryListener listener = session.newListener();
            int port = destination.getPort();
            Delivery delivery = transport(udp, destination, port, listener);
            session.setDelivery(delivery, listener, udp, "RTP/AVP", "");
            session.description(SdpWriter.writeUnicast(name, SdpWriter.literal(local), destination, media.duration(),
                    new SdpTrack(media.codec(), format.payloadType, TRACK_CONTROL, media.width(), media.height(),
                            media.frameRate(), media.parameterSets())));
            sessions.add(session);
            added = true;
            session.play(null);
            LOG.info("Pushing stream '{}' to {} as session {}", name, destination, session.id());
            return session.info();
        } catch (StreamException | TransportException | RuntimeException e) {
            if (added) {
                sessions.end(session, "push failed", false);
            } else {
                sessions.unreserve();
                session.end("push failed", false);
            }
            throw e;
        }
    }

    private static Delivery transport(Transport udp, InetSocketAddress destination, int port,
            DeliveryListener listener) throws TransportException {
        return udp.open(new DeliveryRequest("RTP/AVP", Map.of("unicast", "", "client_port", port + "-" + (port + 1)),
                destination, null, listener));
    }

    /** The SDP of a push, empty if no push has that id. */
    Optional<String> pushDescription(String id) {
        RtspSession session = sessions.get(id);
        return session == null || !session.push() ? Optional.empty() : Optional.ofNullable(session.description());
    }

    /** The local address packets to {@code destination} leave from (no packet is sent to find it). */
    private static InetAddress localAddressTowards(InetSocketAddress destination) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(destination);
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no route to {}; naming the loopback address as origin", destination, e);
        }
        return InetAddress.getLoopbackAddress();
    }

    /**
     * The stream again once its H.264 parameter sets are known, waiting up to
     * {@value #PARAMETER_SETS_WAIT_MILLIS} ms for a source that is still probing; as given for other codecs.
     */
    private StreamInfo withParameterSets(StreamInfo stream) {
        long deadline = System.nanoTime() + PARAMETER_SETS_WAIT_MILLIS * 1_000_000L;
        StreamInfo now = stream;
        while (lacksParameterSets(now.info()) && now.state() != StreamState.FAILED
                && now.state() != StreamState.STOPPED && System.nanoTime() < deadline) {
            try {
                Thread.sleep(PARAMETER_SETS_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
            Optional<StreamInfo> again = streams.get(stream.name());
            if (again.isEmpty()) {
                return now;
            }
            now = again.get();
        }
        return now;
    }

    private static boolean lacksParameterSets(MediaInfo media) {
        return media.codec() == Codec.H264 && media.parameterSets().isEmpty();
    }

    private RtspResponse play(RtspRequest request) {
        if (request.sessionId() == null) {
            return new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE);
        }
        RtspSession session = sessions.get(request.sessionId());
        if (session == null) {
            return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
        }
        session.touch();
        if (!session.hasDelivery()) {
            return withSession(new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE), session);
        }
        Duration position = null;
        String range = request.header("Range");
        if (range != null) {
            try {
                position = NptRange.parse(range).start();
            } catch (IllegalArgumentException e) {
                return withSession(new RtspResponse(RtspStatus.INVALID_RANGE), session);
            }
        }
        RtspSession.PlayStart start;
        try {
            start = session.play(position);
        } catch (IllegalArgumentException e) {
            return withSession(new RtspResponse(RtspStatus.INVALID_RANGE), session);
        } catch (IllegalStateException e) {
            return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
        } catch (StreamException e) {
            return withSession(new RtspResponse(e.kind() == StreamException.Kind.NOT_FOUND ? RtspStatus.NOT_FOUND
                    : RtspStatus.SERVICE_UNAVAILABLE, e.getMessage()), session);
        }
        RtspResponse response = withSession(new RtspResponse(RtspStatus.OK), session);
        start = session.awaitFirstPacket(start, RtspSession.JOIN_WAIT_MILLIS);
        if (start == null) {
            return endedBeforePlaying(session);
        }
        response.afterWrite(session::releaseJoin);
        if (session.lab()) {
            return response;
        }
        MediaInfo media = session.media();
        String end = media.duration() == null ? "" : NptRange.format(media.duration());
        String begin = media.live() ? "0.000" : NptRange.format(start.start());
        return response.header("Range", "npt=" + begin + "-" + end)
                .header("RTP-Info", "url=" + session.trackUrl() + ";seq=" + start.sequence() + ";rtptime="
                        + Integer.toUnsignedString(start.rtpTimestamp()));
    }

    private RtspResponse pause(RtspRequest request) {
        if (request.sessionId() == null) {
            return new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE);
        }
        RtspSession session = sessions.get(request.sessionId());
        if (session == null) {
            return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
        }
        session.touch();
        if (!session.hasDelivery()) {
            return withSession(new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE), session);
        }
        session.pause();
        return withSession(new RtspResponse(RtspStatus.OK), session);
    }

    private RtspResponse teardown(RtspRequest request) {
        if (request.sessionId() == null) {
            return new RtspResponse(RtspStatus.METHOD_NOT_VALID_IN_THIS_STATE);
        }
        RtspSession session = sessions.get(request.sessionId());
        if (session == null) {
            return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
        }
        sessions.end(session, "teardown", true);
        return withSession(new RtspResponse(RtspStatus.OK), session);
    }

    private RtspResponse parameter(RtspRequest request, boolean set) {
        RtspResponse response = new RtspResponse(RtspStatus.OK);
        if (request.sessionId() != null) {
            RtspSession session = sessions.get(request.sessionId());
            if (session == null) {
                return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
            }
            session.touch();
            withSession(response, session);
        }
        // No parameter is settable; GET_PARAMETER with names answers with none rather than failing a keepalive.
        if (set && request.body().length > 0) {
            return withSession(new RtspResponse(RtspStatus.PARAMETER_NOT_UNDERSTOOD),
                    sessions.get(request.sessionId()));
        }
        return response;
    }

    /** Ends what a closed connection carried (called on its event loop; the work runs on workers). */
    void connectionClosed(RtspConnection connection) {
        sessions.connectionClosed(connection);
    }

    private RtspResponse withSession(RtspResponse response, RtspSession session) {
        if (session != null) {
            response.header("Session", session.lab() ? session.id()
                    : session.id() + ";timeout=" + sessionTimeoutSeconds);
        }
        return response;
    }

    private RequestPath resolve(String uri) {
        return RequestPath.resolve(uri, name -> streams.get(name).isPresent());
    }

    private static RtspResponse unavailable(StreamInfo stream) {
        String state = stream.state() == StreamState.FAILED ? "has failed" : "is " + stream.state().name().toLowerCase(Locale.ROOT);
        String why = stream.reason().isBlank() ? state : state + ": " + stream.reason();
        return new RtspResponse(RtspStatus.SERVICE_UNAVAILABLE, "Stream " + stream.name() + " " + why);
    }

    /** The reply to a live PLAY whose session ended while it waited for the first frame. */
    private RtspResponse endedBeforePlaying(RtspSession session) {
        Optional<StreamInfo> now = streams.get(session.stream());
        if (now.isEmpty()) {
            return new RtspResponse(RtspStatus.NOT_FOUND, "Stream " + session.stream() + " was removed");
        }
        if (now.get().state() == StreamState.FAILED || now.get().state() == StreamState.STOPPED) {
            return unavailable(now.get());
        }
        return new RtspResponse(RtspStatus.SESSION_NOT_FOUND);
    }

    /** Content-Base: the scheme and authority the client used, the stream's path, and a trailing slash. */
    static String contentBase(String uri, InetSocketAddress local, String stream) {
        String authority = RequestPath.authorityOf(uri);
        if (authority == null) {
            authority = "rtsp://" + hostLiteral(local.getAddress()) + ":" + local.getPort();
        }
        return authority + "/" + encodePath(stream) + "/";
    }

    /** The host of a URL naming {@code address}: IPv4 dotted, IPv6 compressed in brackets ({@code [::1]}). */
    static String hostLiteral(InetAddress address) {
        String host = SdpWriter.literal(address);
        return address instanceof Inet6Address ? "[" + host + "]" : host;
    }

    private static String encodePath(String name) {
        StringBuilder s = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                s.append((char) c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return s.toString();
    }

    /** The RTP payload format a codec is sent with. */
    record Format(String name, PayloadFormat format, int payloadType, int maxPacketSize) {

        private static final Format JPEG = new Format("jpeg", new JpegPayloadFormat(), 26,
                RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
        private static final Format LAB_JPEG = new Format("raw-jpeg", new RawJpegPayloadFormat(), 26,
                RawJpegPayloadFormat.LAB_CLIENT_MAX_PACKET_SIZE);

        /**
         * The format for a stream, or {@code null} when there is none (H.264 for the lab client). H.264 puts the
         * stream's parameter sets in front of IDRs that lack them, so a viewer joining there can decode.
         */
        static Format of(MediaInfo media, boolean lab) {
            return switch (media.codec()) {
                case JPEG -> lab ? LAB_JPEG : JPEG;
                case H264 -> lab ? null : new Format("h264", h264(media.parameterSets()), H264_PAYLOAD_TYPE,
                        RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
            };
        }

        private static PayloadFormat h264(List<ByteBuffer> parameterSets) {
            try {
                return new H264PayloadFormat(parameterSets);
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignoring parameter sets a source gave: {}; IDRs go out as the source made them",
                        e.getMessage());
                return new H264PayloadFormat();
            }
        }
    }
}
