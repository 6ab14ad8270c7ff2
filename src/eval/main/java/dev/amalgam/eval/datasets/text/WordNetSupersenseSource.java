package dev.amalgam.eval.datasets.text;

import dev.amalgam.AmalgamException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WordNet 3.0 supersenses (Debian {@code wordnet-base}): the lexicographer file of a synset. ID text = the
 * definition part of the gloss; OOD text = the first quoted usage example of the gloss (same label, another
 * genre: a sentence using the word instead of a dictionary definition). Each synset is one group, so a synset
 * whose example is in OOD contributes no definition to train/val/test.
 */
public final class WordNetSupersenseSource implements TextSource {

    static final String TASK = "wordnet_supersense";
    /** Lexicographer file numbers (wndb(5WN), lexnames(5WN)) of the six chosen supersenses. */
    static final List<Integer> LEX_FILES = List.of(6, 10, 18, 35, 38, 40);
    static final List<String> LABELS = List.of("noun.artifact", "noun.communication", "noun.person",
            "verb.contact", "verb.motion", "verb.possession");
    private static final int MIN_CHARS = 5;
    private static final Pattern EXAMPLE = Pattern.compile("\"([^\"]+)\"");

    private final Path wordnetDir;

    /** @param wordnetDir the directory with data.noun and data.verb (Debian: /usr/share/wordnet) */
    public WordNetSupersenseSource(Path wordnetDir) {
        this.wordnetDir = wordnetDir;
    }

    @Override
    public String taskName() {
        return TASK;
    }

    @Override
    public void requireInstalled() {
        for (Path p : dataFiles()) {
            if (!Files.isRegularFile(p)) {
                throw new AmalgamException("WordNet data file not found: " + p
                        + "; run datasets/setup.sh (Debian package wordnet-base)");
            }
        }
    }

    @Override
    public List<Path> inputFiles() {
        return dataFiles();
    }

    private List<Path> dataFiles() {
        return List.of(wordnetDir.resolve("data.noun"), wordnetDir.resolve("data.verb"));
    }

    @Override
    public RawTask load(int maxChars) throws IOException {
        requireInstalled();
        List<LabeledText> id = new ArrayList<>();
        List<LabeledText> ood = new ArrayList<>();
        for (Path file : dataFiles()) {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE);
            try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
                String line;
                int lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (!line.startsWith("  ") && !line.isBlank()) {
                        parse(file, lineNo, line, maxChars, id, ood);
                    }
                }
            }
        }
        return new RawTask(TASK, LABELS, id, ood,
                "WordNet 3.0 via Debian wordnet-base (data.noun, data.verb); label = lexicographer file",
                "ID = definition part of the gloss; OOD = first quoted usage example of the gloss "
                        + "(different text genre, disjoint synsets)");
    }

    /** One synset line: {@code offset lex_filenum ss_type w_cnt word lex_id ... | gloss}. */
    private static void parse(Path file, int lineNo, String line, int maxChars,
                              List<LabeledText> id, List<LabeledText> ood) {
        int bar = line.indexOf(" | ");
        String[] fields = (bar < 0 ? line : line.substring(0, bar)).split(" ");
        if (bar < 0 || fields.length < 4) {
            throw new AmalgamException("WordNet synset line without gloss: " + file + ":" + lineNo);
        }
        int lexFile;
        try {
            lexFile = Integer.parseInt(fields[1]);
        } catch (NumberFormatException e) {
            throw new AmalgamException("WordNet synset line with bad lex_filenum: " + file + ":" + lineNo);
        }
        int label = LEX_FILES.indexOf(lexFile);
        if (label < 0) {
            return;
        }
        String group = fields[2] + ":" + fields[0];
        String gloss = line.substring(bar + 3);
        int quote = gloss.indexOf('"');
        String definition = (quote < 0 ? gloss : gloss.substring(0, quote)).strip().replaceFirst(";$", "").strip();
        definition = TextNormalizer.cleanAndTruncate(definition, maxChars);
        if (definition.length() >= MIN_CHARS) {
            id.add(new LabeledText(definition, label, group));
        }
        Matcher m = EXAMPLE.matcher(gloss);
        if (m.find()) {
            String example = TextNormalizer.cleanAndTruncate(m.group(1), maxChars);
            if (example.length() >= MIN_CHARS) {
                ood.add(new LabeledText(example, label, group));
            }
        }
    }
}
