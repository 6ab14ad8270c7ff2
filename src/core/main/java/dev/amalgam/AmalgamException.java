package dev.amalgam;

/**
 * An error caused by the user's input (a malformed file, a bad recipe, mismatched checkpoints).
 * The CLI prints {@link #getMessage()} as one line and exits with code 2; the message must name
 * the offending file and/or tensor. Programming errors use ordinary unchecked exceptions instead.
 * Messages quote names taken from the input (tensor names, recipe keys, paths), which may contain line
 * breaks or other control characters, so those are escaped ({@code \n} becomes the two characters
 * {@code \\n}, others {@code \\uXXXX}): the message is always one line of printable text.
 */
public class AmalgamException extends RuntimeException {
    public AmalgamException(String message) {
        super(oneLine(message));
    }

    public AmalgamException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** {@code s} with line terminators and other control characters (tab excepted) written as escapes. */
    static String oneLine(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = c != '\t' && Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (escape && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b == null) {
                continue;
            }
            if (!escape) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? s : b.toString();
    }
}
