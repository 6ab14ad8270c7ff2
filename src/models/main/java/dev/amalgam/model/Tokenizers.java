package dev.amalgam.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Encodes texts into [input_ids, attention_mask], both int64 [N, T] in {@code manager}. The encodings
     * must have equal lengths (e.g. CLIP's max_length padding).
     */
    public static NDList batch(HuggingFaceTokenizer tok, List<String> texts, NDManager manager) {
        Encoding[] enc = tok.batchEncode(texts);
        int t = enc.length == 0 ? 0 : enc[0].getIds().length;
        long[] ids = new long[enc.length * t];
        long[] mask = new long[enc.length * t];
        for (int i = 0; i < enc.length; i++) {
            if (enc[i].getIds().length != t) {
                throw new IllegalArgumentException("texts encode to different lengths; use padding");
            }
            System.arraycopy(enc[i].getIds(), 0, ids, i * t, t);
            System.arraycopy(enc[i].getAttentionMask(), 0, mask, i * t, t);
        }
        Shape shape = new Shape(enc.length, t);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape));
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
