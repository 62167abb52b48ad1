package org.tributary.rtsp.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the bytes of an RTSP connection into {@link RtspRequest}s, {@link InterleavedFrame}s and
 * {@link MalformedRequest}s.
 *
 * <p>The first byte of each message decides: {@code $} starts an interleaved packet (channel, 16-bit length,
 * packet), which is never read as a request; anything else starts a request. Requests may end their lines
 * with CRLF or a bare LF, and carry a body of {@code Content-Length} bytes. The classic lab client ends its
 * request without the blank line: once a request line and a CSeq are buffered, the text has no CR, and no
 * byte arrives for {@code labIdleMillis}, the buffered text is taken as the whole request.
 *
 * <p>Limits: request line plus headers at most {@code maxRequestBytes}, at most {@code maxHeaders} headers,
 * a body of at most {@code maxBodyBytes}. A request over a limit or unreadable yields a
 * {@link MalformedRequest}; where the end of the bad request is known its bytes are skipped and the
 * connection stays usable, otherwise the framing is lost and everything after is discarded.
 *
 * <p>One instance per connection; runs on the connection's event loop.
 */
final class RtspDecoder extends ByteToMessageDecoder {

    private final int maxRequestBytes;
    private final int maxHeaders;
    private final int maxBodyBytes;
    private final long labIdleMillis;

    private boolean framingLost;
    private long bodyBytesToSkip;
    private boolean completePartial;
    private long arrivals;
    private ScheduledFuture<?> idleCheck;

    RtspDecoder(int maxRequestBytes, int maxHeaders, int maxBodyBytes, long labIdleMillis) {
        this.maxRequestBytes = maxRequestBytes;
        this.maxHeaders = maxHeaders;
        this.maxBodyBytes = maxBodyBytes;
        this.labIdleMillis = labIdleMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        arrivals++;
        super.channelRead(ctx, msg);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelIdleCheck();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelIdleCheck();
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (framingLost) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (bodyBytesToSkip > 0) {
            int n = (int) Math.min(bodyBytesToSkip, in.readableBytes());
            in.skipBytes(n);
            bodyBytesToSkip -= n;
            if (bodyBytesToSkip > 0) {
                return;
            }
        }
        // Line ends between messages (a client's trailing CRLF, keepalive newlines) belong to no message.
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b != '\r' && b != '\n') {
                break;
            }
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return;
        }
        if (in.getByte(in.readerIndex()) == '$') {
            decodeInterleaved(in, out);
        } else {
            decodeRequest(ctx, in, out);
        }
    }

    private static void decodeInterleaved(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int start = in.readerIndex();
        int length = in.getUnsignedShort(start + 2);
        if (in.readableBytes() < 4 + length) {
            return;
        }
        int channel = in.getUnsignedByte(start + 1);
        in.skipBytes(4);
        out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
    }

    private void decodeRequest(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int headerEnd = findHeaderEnd(in, start, Math.min(readable, maxRequestBytes + 4));
        boolean partial = false;
        if (headerEnd < 0) {
            if (readable > maxRequestBytes) {
                String prefix = in.toString(start, Math.min(readable, maxRequestBytes), StandardCharsets.UTF_8);
                framingLost = true;
                in.skipBytes(readable);
                out.add(new MalformedRequest("Request Too Large", findCseq(prefix), startsBare(prefix), true));
                return;
            }
            if (!completePartial) {
                scheduleIdleCheckIfLabRequest(ctx, in.toString(start, readable, StandardCharsets.UTF_8));
                return;
            }
            headerEnd = start + readable;
            partial = true;
        }
        if (headerEnd - start > maxRequestBytes) {
            String prefix = in.toString(start, maxRequestBytes, StandardCharsets.UTF_8);
            framingLost = true;
            in.skipBytes(readable);
            out.add(new MalformedRequest("Request Too Large", findCseq(prefix), startsBare(prefix), true));
            return;
        }
        cancelIdleCheck();
        String head = in.toString(start, headerEnd - start, StandardCharsets.UTF_8);
        Parsed parsed = parse(head);
        if (parsed.contentLength < 0) {
            framingLost = true;
            in.skipBytes(readable);
            out.add(new MalformedRequest("Bad Content-Length", parsed.cseq(), parsed.bare(), true));
            return;
        }
        int bodyLength = partial ? 0 : (int) Math.min(parsed.contentLength, Integer.MAX_VALUE);
        if (parsed.contentLength > maxBodyBytes) {
            in.readerIndex(headerEnd);
            bodyBytesToSkip = parsed.contentLength;
            out.add(new MalformedRequest("Body Too Large", parsed.cseq(), parsed.bare(), false));
            return;
        }
        if (in.writerIndex() - headerEnd < bodyLength) {
            return;
        }
        byte[] body = new byte[bodyLength];
        in.getBytes(headerEnd, body);
        in.readerIndex(headerEnd + bodyLength);
        if (parsed.error != null) {
            out.add(new MalformedRequest(parsed.error, parsed.cseq(), parsed.bare(), false));
            return;
        }
        out.add(new RtspRequest(parsed.method, parsed.uri, parsed.version, parsed.names, parsed.values, body,
                head.indexOf('\r') < 0));
    }

    /** The index just past the blank line that ends the headers, or -1 if it is not among the first bytes. */
    private static int findHeaderEnd(ByteBuf in, int start, int length) {
        int end = start + length;
        for (int i = in.indexOf(start, end, (byte) '\n'); i >= 0; i = in.indexOf(i + 1, end, (byte) '\n')) {
            if (i + 1 < end && in.getByte(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private void scheduleIdleCheckIfLabRequest(ChannelHandlerContext ctx, String text) {
        if (idleCheck != null || text.indexOf('\r') >= 0 || text.indexOf('\n') < 0 || findCseq(text) == null) {
            return;
        }
        long seen = arrivals;
        idleCheck = ctx.executor().schedule(() -> idleCheckFired(ctx, seen), labIdleMillis, TimeUnit.MILLISECONDS);
    }

    private void idleCheckFired(ChannelHandlerContext ctx, long seen) {
        idleCheck = null;
        if (ctx.isRemoved() || !ctx.channel().isActive() || !internalBuffer().isReadable()) {
            return;
        }
        if (arrivals != seen) {
            scheduleIdleCheckIfLabRequest(ctx, internalBuffer().toString(StandardCharsets.UTF_8));
            return;
        }
        completePartial = true;
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        } finally {
            completePartial = false;
        }
    }

    private void cancelIdleCheck() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    private static boolean startsBare(String text) {
        int end = text.indexOf('\n');
        String[] tokens = (end < 0 ? text : text.substring(0, end)).trim().split("[ \t]+");
        return tokens.length >= 2 && RtspRequest.isBareUri(tokens[1]);
    }

    private static String findCseq(String text) {
        int lineStart = text.indexOf('\n') + 1;
        while (lineStart > 0 && lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            String line = (lineEnd < 0 ? text.substring(lineStart) : text.substring(lineStart, lineEnd)).trim();
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("CSeq")) {
                String value = line.substring(colon + 1).trim();
                return isCseq(value) ? value : null;
            }
            lineStart = lineEnd + 1;
        }
        return null;
    }

    /** Only digits go back into a reply: a CSeq is a number, and nothing a client sends is echoed raw. */
    static boolean isCseq(String value) {
        if (value.isEmpty() || value.length() > 10) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private Parsed parse(String head) {
        Parsed p = new Parsed();
        String[] lines = head.split("\r?\n", -1);
        String[] requestLine = lines[0].trim().split("[ \t]+");
        if (requestLine.length >= 2) {
            p.uri = requestLine[1];
        }
        if (requestLine.length != 3 || !isToken(requestLine[0]) || !requestLine[2].startsWith("RTSP/")) {
            p.error = "Bad Request Line";
        } else {
            p.method = requestLine[0];
            p.version = requestLine[2];
        }
        p.contentLength = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !p.values.isEmpty()) {
                int last = p.values.size() - 1;
                p.values.set(last, p.values.get(last) + " " + line.trim());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                p.error = p.error == null ? "Bad Header Line" : p.error;
                continue;
            }
            if (p.names.size() == maxHeaders) {
                p.error = p.error == null ? "Too Many Headers" : p.error;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                p.contentLength = parseLength(value);
            }
            if (p.names.size() < maxHeaders) {
                p.names.add(name);
                p.values.add(value);
            }
        }
        return p;
    }

    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 12) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static final class Parsed {
        String method;
        String uri = "";
        String version;
        String error;
        long contentLength;
        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();

        String cseq() {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase("CSeq")) {
                    return isCseq(values.get(i)) ? values.get(i) : null;
                }
            }
            return null;
        }

        boolean bare() {
            return RtspRequest.isBareUri(uri);
        }
    }
}
