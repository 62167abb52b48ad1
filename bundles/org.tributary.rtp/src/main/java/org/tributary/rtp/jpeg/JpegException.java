package org.tributary.rtp.jpeg;

/** Bytes that are not a JPEG image of the kind expected; the message says where and what. */
public class JpegException extends Exception {

    private static final long serialVersionUID = 1L;

    public JpegException(String message) {
        super(message);
    }
}
