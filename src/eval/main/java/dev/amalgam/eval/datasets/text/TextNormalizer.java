package dev.amalgam.eval.datasets.text;

import java.util.regex.Pattern;

/** Whitespace/control-character clean-up and length capping shared by all sources. */
final class TextNormalizer {

    private static final Pattern OVERSTRIKE = Pattern.compile(".\b");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\s]]|\uFFFD");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TextNormalizer() {
    }

    /** Removes overstrikes and control characters, collapses whitespace, trims. */
    static String clean(String s) {
        String t = OVERSTRIKE.matcher(s).replaceAll("");
        t = CONTROL.matcher(t).replaceAll("");
        return SPACES.matcher(t).replaceAll(" ").strip();
    }

    /** Cuts to at most {@code maxChars}, at the last space when one is near the end. */
    static String truncate(String s, int maxChars) {
        if (s.length() <= maxChars) {
            return s;
        }
        int cut = s.lastIndexOf(' ', maxChars);
        if (cut < maxChars * 4 / 5) {
            cut = maxChars;
        }
        return s.substring(0, cut).strip();
    }

    /** Only the start matters: raw text far beyond {@code maxChars} is cut before the regex clean-up. */
    static String cleanAndTruncate(String s, int maxChars) {
        int rawLimit = maxChars * 20;
        return truncate(clean(s.length() > rawLimit ? s.substring(0, rawLimit) : s), maxChars);
    }
}
