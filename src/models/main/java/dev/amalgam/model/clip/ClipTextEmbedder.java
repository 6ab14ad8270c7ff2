package dev.amalgam.model.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.Tokenizers;
import dev.amalgam.model.heads.PromptTemplates;
import dev.amalgam.model.heads.TextEmbedder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A CLIP text tower as a {@link TextEmbedder}: the texts tokenized to one fixed length, one forward pass, one row of
 * text features per text. {@link #precomputed} embeds all prompts of a task (every class × every template) up front
 * in batches of {@link #BATCH} instead of one pass per class: SUN397's 397 classes then take a handful of passes.
 * Each prompt is padded to the same length either way, so rows equal one-pass-per-class embeddings up to float
 * rounding.
 */
public final class ClipTextEmbedder implements TextEmbedder {
    public static final int BATCH = 256;

    private final ClipModel clip;
    private final HuggingFaceTokenizer tokenizer;

    /** The tokenizer stays the caller's to close. */
    public ClipTextEmbedder(ClipModel clip, HuggingFaceTokenizer tokenizer) {
        this.clip = clip;
        this.tokenizer = tokenizer;
    }

    @Override
    public float[][] embed(List<String> texts) {
        try (NDManager m = clip.manager().newSubManager()) {
            NDList batch = Tokenizers.batch(tokenizer, texts, m);
            float[] flat = clip.textFeatures(batch.get(0), batch.get(1)).toFloatArray();
            int d = flat.length / texts.size();
            float[][] rows = new float[texts.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            }
            return rows;
        }
    }

    /** An embedder that answers from the precomputed embeddings of {@code classes} × {@code templates}. */
    public static TextEmbedder precomputed(ClipModel clip, Path tokenizerDir, List<String> classes, List<String> templates) {
        LinkedHashSet<String> prompts = new LinkedHashSet<>();
        for (String c : classes) {
            for (String t : templates) {
                prompts.add(PromptTemplates.fill(t, c));
            }
        }
        Map<String, float[]> byText = new HashMap<>();
        List<String> all = new ArrayList<>(prompts);
        try (HuggingFaceTokenizer tok = Tokenizers.clip(tokenizerDir, ClipZeroShot.textLength(clip))) {
            ClipTextEmbedder tower = new ClipTextEmbedder(clip, tok);
            for (int from = 0; from < all.size(); from += BATCH) {
                List<String> part = all.subList(from, Math.min(all.size(), from + BATCH));
                float[][] rows = tower.embed(part);
                for (int i = 0; i < part.size(); i++) {
                    byText.put(part.get(i), rows[i]);
                }
            }
        }
        return texts -> {
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = byText.get(texts.get(i));
                if (out[i] == null) {
                    throw new IllegalStateException("prompt not precomputed: " + texts.get(i));
                }
            }
            return out;
        };
    }
}
