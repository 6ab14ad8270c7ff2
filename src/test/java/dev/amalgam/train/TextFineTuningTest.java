package dev.amalgam.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam finetune} end to end with a registered test architecture and a word-level tokenizer. */
class TextFineTuningTest {
    private static final String[] POSITIVE = {"good", "great", "fine", "nice"};
    private static final String[] NEGATIVE = {"bad", "awful", "poor", "sad"};
    private static final String[] FILLER = {"the", "a", "movie", "was", "plot", "and"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path model;
    static Path suite;

    @BeforeAll
    static void setUp() throws IOException {
        TrainableModels.register("bag-of-words-test", (dir, config, labels, seed, manager) ->
                new BagOfWordsModel(config.get("vocab_size").asInt(), 8, labels, manager));
        model = Files.createDirectory(tmp.resolve("model"));
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]"));
        vocab.addAll(List.of(POSITIVE));
        vocab.addAll(List.of(NEGATIVE));
        vocab.addAll(List.of(FILLER));
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < vocab.size(); i++) {
            v.append(i == 0 ? "" : ",").append('"').append(vocab.get(i)).append("\":").append(i);
        }
        Files.writeString(model.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":[{\"id\":0,\"content\":\"[PAD]\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}],"
                + "\"normalizer\":{\"type\":\"Lowercase\"},\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + v + "},\"unk_token\":\"[UNK]\"}}");
        Files.writeString(model.resolve("config.json"),
                "{\"model_type\":\"bag-of-words-test\",\"vocab_size\":" + vocab.size() + "}");
        suite = Files.createDirectory(tmp.resolve("suite"));
        Path task = Files.createDirectory(suite.resolve("sentiment"));
        Files.writeString(suite.resolve("tasks.json"),
                "{\"tasks\":[{\"name\":\"sentiment\",\"labels\":[\"negative\",\"positive\"]}]}");
        writeSplit(task.resolve("train.jsonl"), 160, 1);
        writeSplit(task.resolve("val.jsonl"), 40, 2);
    }

    private static void writeSplit(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            String[] cue = label == 1 ? POSITIVE : NEGATIVE;
            List<String> words = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                words.add(FILLER[r.nextInt(FILLER.length)]);
            }
            words.add(r.nextInt(words.size() + 1), cue[r.nextInt(cue.length)].toUpperCase());
            sb.append(JSON.writeValueAsString(java.util.Map.of("text", String.join(" ", words), "label", label)))
                    .append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    @Test
    void finetuneCommandTrainsAndWritesCheckpoint() throws IOException {
        Path out = tmp.resolve("ft-out");
        int code = Main.execute("finetune", "--model", model.toString(), "--task", suite.resolve("sentiment").toString(),
                "--out", out.toString(), "--epochs", "6", "--lr", "0.05", "--batch-size", "8", "--seed", "3",
                "--quiet");
        assertEquals(0, code);
        JsonNode head = JSON.readTree(out.resolve("head.json").toFile());
        assertEquals("negative", head.get("labels").get(0).asText());
        assertEquals("positive", head.get("labels").get(1).asText());
        assertTrue(head.get("best_val_accuracy").asDouble() >= 0.95, head.toString());
        assertTrue(Files.size(out.resolve("model.safetensors")) > 8 + 13 * 8 * 4);
        assertTrue(Files.exists(out.resolve("head.safetensors")));
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
        assertTrue(Files.readString(out.resolve("config.json")).contains("bag-of-words-test"));
    }

    @Test
    void unsupportedArchitectureIsABadInputError() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("config.json"), "{\"model_type\":\"no-such-arch\"}");
        Files.copy(model.resolve("tokenizer.json"), other.resolve("tokenizer.json"));
        Path out = tmp.resolve("never");
        int code = Main.execute("finetune", "--model", other.toString(), "--task", suite.resolve("sentiment").toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(Main.EXIT_BAD_INPUT, code);
        assertFalse(Files.exists(out));
    }

    @Test
    void missingValidationSplitIsABadInputError() throws IOException {
        Path task = Files.createDirectories(tmp.resolve("broken"));
        Files.copy(suite.resolve("sentiment/train.jsonl"), task.resolve("train.jsonl"));
        int code = Main.execute("finetune", "--model", model.toString(), "--task", task.toString(),
                "--out", tmp.resolve("never2").toString(), "--quiet");
        assertEquals(Main.EXIT_BAD_INPUT, code);
    }
}
