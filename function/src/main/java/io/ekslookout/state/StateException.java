package io.ekslookout.state;

/** The state could not be read or written: a corrupt file, an unwritable directory, a refused table call. */
public final class StateException extends RuntimeException {
    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
