package dev.amalgam.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Opens a model directory's {@code tokenizer.json} with DJL's HuggingFaceTokenizer (offline). */
public final class Tokenizers {
    /** CLIP's text context length. */
    public static final int CLIP_MAX_LENGTH = 77;

    private Tokenizers() {
    }

    /** CLIP text: special tokens, padded to and truncated at {@code maxLength} (77 for CLIP). */
    public static HuggingFaceTokenizer clip(Path dir, int maxLength) {
        return open(dir, Map.of("addSpecialTokens", "true", "padding", "max_length",
                "truncation", "true", "maxLength", Integer.toString(maxLength)));
    }

    /** Decoder LMs: the tokenizer's own post-processor decides on BOS; no padding, no truncation. */
    public static HuggingFaceTokenizer causalLm(Path dir) {
        return open(dir, Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false"));
    }

    public static HuggingFaceTokenizer open(Path dir, Map<String, String> options) {
        Path file = Files.isDirectory(dir) ? dir.resolve("tokenizer.json") : dir;
        if (!Files.isRegularFile(file)) {
            throw new AmalgamException(file + ": not found (a tokenizer.json is needed)");
        }
        try {
            return HuggingFaceTokenizer.newInstance(file, options);
        } catch (IOException | RuntimeException e) {
            throw new AmalgamException(file + ": cannot load tokenizer (" + e.getMessage() + ")", e);
        }
    }
}
