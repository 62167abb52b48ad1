package org.tributary.rtp.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code m=} section of a parsed SDP. Immutable.
 *
 * @param type the media type, e.g. {@code video}
 * @param payloadType the first payload type of the {@code m=} line, -1 if it is not a number
 * @param encodingName from {@code a=rtpmap} of that payload type (or the static assignment of RFC 3551),
 *        {@code null} when unknown
 * @param clockRate from the same source, 0 when unknown
 * @param control the media-level {@code a=control}, {@code null} when absent
 * @param formatParameters the {@code a=fmtp} parameters of that payload type, in order
 * @param attributes every {@code a=} attribute of the section by name (first occurrence wins; a flag
 *        attribute maps to the empty string), in order
 */
public record MediaDescription(String type, int payloadType, String encodingName, int clockRate, String control,
        Map<String, String> formatParameters, Map<String, String> attributes) {

    public MediaDescription {
        formatParameters = Collections.unmodifiableMap(new LinkedHashMap<>(formatParameters));
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
