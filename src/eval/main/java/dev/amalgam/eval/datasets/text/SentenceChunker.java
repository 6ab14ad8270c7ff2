package dev.amalgam.eval.datasets.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Splits running prose into sentences and groups consecutive sentences into short paragraphs. */
final class SentenceChunker {

    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "no", "vs", "etc", "co",
            "inc", "ltd", "mt", "ft", "lt", "col", "capt", "hon", "messrs", "jan", "feb", "mar", "apr", "aug",
            "sept", "sep", "oct", "nov", "dec", "u.s", "u.n", "i.e", "e.g", "a.m", "p.m", "viz", "art", "sec");

    private final int maxSentences;
    private final int targetChars;
    private final int minChars;

    SentenceChunker(int maxSentences, int targetChars, int minChars) {
        this.maxSentences = maxSentences;
        this.targetChars = targetChars;
        this.minChars = minChars;
    }

    /** Sentences of {@code text}: a break after . ! or ? (and closing quotes) followed by space and a capital. */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != '.' && c != '!' && c != '?') {
                continue;
            }
            int end = i + 1;
            while (end < n && "\"')]\u201d\u2019".indexOf(text.charAt(end)) >= 0) {
                end++;
            }
            if (end >= n || !Character.isWhitespace(text.charAt(end))) {
                continue;
            }
            int next = end;
            while (next < n && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            if (next < n && !startsSentence(text.charAt(next))) {
                continue;
            }
            if (c == '.' && isAbbreviation(text, start, i)) {
                continue;
            }
            addIfNotBlank(out, text.substring(start, end));
            start = next;
            i = next - 1;
        }
        addIfNotBlank(out, text.substring(Math.min(start, n)));
        return out;
    }

    /** Paragraphs of up to {@code maxSentences} sentences, closed early at {@code targetChars}; short ones dropped. */
    List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int count = 0;
        for (String sentence : sentences(text)) {
            if (chunk.length() > 0) {
                chunk.append(' ');
            }
            chunk.append(sentence);
            count++;
            if (count >= maxSentences || chunk.length() >= targetChars) {
                addIfLongEnough(out, chunk);
                chunk.setLength(0);
                count = 0;
            }
        }
        addIfLongEnough(out, chunk);
        return out;
    }

    private void addIfLongEnough(List<String> out, StringBuilder chunk) {
        if (chunk.length() >= minChars) {
            out.add(chunk.toString());
        }
    }

    private static boolean startsSentence(char c) {
        return Character.isUpperCase(c) || Character.isDigit(c) || "\"'(\u201c\u2018".indexOf(c) >= 0;
    }

    private static boolean isAbbreviation(String text, int sentenceStart, int dot) {
        int w = dot;
        while (w > sentenceStart && !Character.isWhitespace(text.charAt(w - 1))) {
            w--;
        }
        String word = text.substring(w, dot).toLowerCase(Locale.ROOT).replaceAll("^[\"'(\u201c]+", "");
        return word.length() == 1 && Character.isLetter(word.charAt(0)) || ABBREVIATIONS.contains(word);
    }

    private static void addIfNotBlank(List<String> out, String s) {
        String t = s.strip();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }
}
