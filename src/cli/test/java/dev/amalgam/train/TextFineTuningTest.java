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
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path model;
    static Path suite;

    @BeforeAll
    static void setUp() throws IOException {
        TrainableModels.register("bag-of-words-test", (dir, config, labels, options, manager) ->
                new BagOfWordsModel(config.get("vocab_size").asInt(), 8, labels, manager));
        model = Files.createDirectory(tmp.resolve("model"));
        int vocab = ToyText.writeTokenizer(model);
        Files.writeString(model.resolve("config.json"),
                "{\"model_type\":\"bag-of-words-test\",\"vocab_size\":" + vocab + "}");
        suite = ToyText.writeSuite(tmp.resolve("suite"));
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
