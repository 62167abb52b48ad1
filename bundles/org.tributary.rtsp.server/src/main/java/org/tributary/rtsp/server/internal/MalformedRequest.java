package org.tributary.rtsp.server.internal;

/**
 * What {@link RtspDecoder} emits for bytes it cannot read as a request: the connection answers 400.
 *
 * @param reason what was wrong, for the reply's reason phrase and the log
 * @param cseq the request's CSeq when it could be read, else {@code null}
 * @param lab whether the request looked like the classic lab client's (bare file name as URI)
 * @param close whether the framing is lost, so the connection must close after the reply
 */
record MalformedRequest(String reason, String cseq, boolean lab, boolean close) {
}
