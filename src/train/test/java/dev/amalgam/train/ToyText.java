package dev.amalgam.train;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A toy sentiment task (one cue word among fillers) in the text-suite layout, and its word-level tokenizer. */
final class ToyText {
    static final String[] POSITIVE = {"good", "great", "fine", "nice"};
    static final String[] NEGATIVE = {"bad", "awful", "poor", "sad"};
    static final String[] FILLER = {"the", "a", "movie", "was", "plot", "and"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToyText() {
    }

    /** Writes a lowercase word-level tokenizer.json ([PAD] = 0, [UNK] = 1); returns the vocabulary size. */
    static int writeTokenizer(Path dir) throws IOException {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]"));
        vocab.addAll(List.of(POSITIVE));
        vocab.addAll(List.of(NEGATIVE));
        vocab.addAll(List.of(FILLER));
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < vocab.size(); i++) {
            v.append(i == 0 ? "" : ",").append('"').append(vocab.get(i)).append("\":").append(i);
        }
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":[{\"id\":0,\"content\":\"[PAD]\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}],"
                + "\"normalizer\":{\"type\":\"Lowercase\"},\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + v + "},\"unk_token\":\"[UNK]\"}}");
        return vocab.size();
    }

    /** Writes {@code suite/tasks.json} and {@code suite/sentiment/{train,val}.jsonl}; returns the suite dir. */
    static Path writeSuite(Path suite) throws IOException {
        Files.createDirectories(suite.resolve("sentiment"));
        Files.writeString(suite.resolve("tasks.json"),
                "{\"tasks\":[{\"name\":\"sentiment\",\"labels\":[\"negative\",\"positive\"]}]}");
        writeSplit(suite.resolve("sentiment/train.jsonl"), 160, 1);
        writeSplit(suite.resolve("sentiment/val.jsonl"), 40, 2);
        return suite;
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
            sb.append(JSON.writeValueAsString(Map.of("text", String.join(" ", words), "label", label))).append('\n');
        }
        Files.writeString(file, sb.toString());
    }
}
