package org.tributary.shell.internal;

/** A command was called the wrong way; the message is the one line that tells the user the right way. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
