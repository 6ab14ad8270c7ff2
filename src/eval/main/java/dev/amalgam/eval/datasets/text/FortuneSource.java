package dev.amalgam.eval.datasets.text;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fortune cookies (Debian {@code fortunes}): which collection an epigram comes from. ID = short fortunes
 * (at most {@link #SHORT_MAX_CHARS} characters: one-liners and quips), OOD = long ones (anecdotes, dialogues,
 * stories) of the same collections: a length/genre shift with the same topics. Attribution lines
 * ("-- Author") are removed so that the text, not a famous name, carries the label.
 */
public final class FortuneSource implements TextSource {

    static final String TASK = "fortune_topic";
    static final List<String> LABELS = List.of("computers", "politics", "science", "work");
    static final int SHORT_MAX_CHARS = 200;
    private static final int MIN_CHARS = 20;
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^%[ \\t]*$\\n?");
    private static final Pattern ATTRIBUTION = Pattern.compile("^\\s*--\\s*\\S.*");

    private final Path fortunesDir;

    /** @param fortunesDir the directory with the collections (Debian: /usr/share/games/fortunes) */
    public FortuneSource(Path fortunesDir) {
        this.fortunesDir = fortunesDir;
    }

    @Override
    public String taskName() {
        return TASK;
    }

    @Override
    public void requireInstalled() {
        for (Path p : inputFiles()) {
            if (!Files.isRegularFile(p)) {
                throw new AmalgamException("fortune collection not found: " + p
                        + "; run datasets/setup.sh (Debian package fortunes)");
            }
        }
    }

    @Override
    public List<Path> inputFiles() {
        return LABELS.stream().map(fortunesDir::resolve).toList();
    }

    @Override
    public RawTask load(int maxChars) throws IOException {
        requireInstalled();
        List<LabeledText> id = new ArrayList<>();
        List<LabeledText> ood = new ArrayList<>();
        for (int label = 0; label < LABELS.size(); label++) {
            Path file = fortunesDir.resolve(LABELS.get(label));
            String[] entries = SEPARATOR.split(decode(Files.readAllBytes(file)));
            for (int i = 0; i < entries.length; i++) {
                String text = TextNormalizer.clean(withoutAttribution(entries[i]));
                if (text.length() < MIN_CHARS) {
                    continue;
                }
                String group = LABELS.get(label) + "#" + i;
                if (text.length() <= SHORT_MAX_CHARS) {
                    id.add(new LabeledText(text, label, group));
                } else {
                    ood.add(new LabeledText(TextNormalizer.truncate(text, maxChars), label, group));
                }
            }
        }
        return new RawTask(TASK, LABELS, id, ood,
                "Debian fortunes collections " + LABELS + " (/usr/share/games/fortunes); label = collection; "
                        + "attribution lines removed",
                "ID = short fortunes (<= " + SHORT_MAX_CHARS + " chars); OOD = long fortunes (> "
                        + SHORT_MAX_CHARS + " chars: anecdotes, dialogues, stories) of the same collections");
    }

    /** Drops trailing "-- Author" lines (and the lines after them) from the last three lines of an entry. */
    static String withoutAttribution(String entry) {
        List<String> lines = new ArrayList<>(Arrays.asList(entry.split("\n")));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        for (int i = Math.max(1, lines.size() - 3); i < lines.size(); i++) {
            if (ATTRIBUTION.matcher(lines.get(i)).matches()) {
                return String.join("\n", lines.subList(0, i));
            }
        }
        return String.join("\n", lines);
    }

    private static String decode(byte[] bytes) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
