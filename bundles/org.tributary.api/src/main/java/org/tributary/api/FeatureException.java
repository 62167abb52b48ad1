package org.tributary.api;

/** A feature cannot be installed or uninstalled; the message says which and why, for a person. */
public class FeatureException extends Exception {

    private static final long serialVersionUID = 1L;

    public FeatureException(String message) {
        super(message);
    }

    public FeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
