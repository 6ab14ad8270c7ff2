package dev.amalgam;

/**
 * An error caused by the user's input (a malformed file, a bad recipe, mismatched checkpoints).
 * The CLI prints {@link #getMessage()} as one line and exits with code 2; the message must name
 * the offending file and/or tensor. Programming errors use ordinary unchecked exceptions instead.
 */
public class AmalgamException extends RuntimeException {
    public AmalgamException(String message) {
        super(message);
    }

    public AmalgamException(String message, Throwable cause) {
        super(message, cause);
    }
}
