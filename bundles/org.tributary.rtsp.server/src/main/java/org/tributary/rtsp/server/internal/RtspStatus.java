package org.tributary.rtsp.server.internal;

/** RTSP status codes this server answers with (RFC 2326 §7.1.1) and their reason phrases. */
final class RtspStatus {

    static final int OK = 200;
    static final int MOVED_TEMPORARILY = 302;
    static final int BAD_REQUEST = 400;
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int UNSUPPORTED_MEDIA_TYPE = 415;
    static final int PARAMETER_NOT_UNDERSTOOD = 451;
    static final int SESSION_NOT_FOUND = 454;
    static final int METHOD_NOT_VALID_IN_THIS_STATE = 455;
    static final int INVALID_RANGE = 457;
    static final int AGGREGATE_OPERATION_NOT_ALLOWED = 459;
    static final int UNSUPPORTED_TRANSPORT = 461;
    static final int INTERNAL_SERVER_ERROR = 500;
    static final int NOT_IMPLEMENTED = 501;
    static final int SERVICE_UNAVAILABLE = 503;
    static final int RTSP_VERSION_NOT_SUPPORTED = 505;
    static final int OPTION_NOT_SUPPORTED = 551;

    private RtspStatus() {
    }

    static String reason(int status) {
        return switch (status) {
            case OK -> "OK";
            case MOVED_TEMPORARILY -> "Moved Temporarily";
            case UNAUTHORIZED -> "Unauthorized";
            case FORBIDDEN -> "Forbidden";
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported Media Type";
            case BAD_REQUEST -> "Bad Request";
            case NOT_FOUND -> "Not Found";
            case METHOD_NOT_ALLOWED -> "Method Not Allowed";
            case PARAMETER_NOT_UNDERSTOOD -> "Parameter Not Understood";
            case SESSION_NOT_FOUND -> "Session Not Found";
            case METHOD_NOT_VALID_IN_THIS_STATE -> "Method Not Valid in This State";
            case INVALID_RANGE -> "Invalid Range";
            case AGGREGATE_OPERATION_NOT_ALLOWED -> "Aggregate Operation Not Allowed";
            case UNSUPPORTED_TRANSPORT -> "Unsupported Transport";
            case INTERNAL_SERVER_ERROR -> "Internal Server Error";
            case NOT_IMPLEMENTED -> "Not Implemented";
            case SERVICE_UNAVAILABLE -> "Service Unavailable";
            case RTSP_VERSION_NOT_SUPPORTED -> "RTSP Version Not Supported";
            case OPTION_NOT_SUPPORTED -> "Option Not Supported";
            default -> "Status " + status;
        };
    }
}
