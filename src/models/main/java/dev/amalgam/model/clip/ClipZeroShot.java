package dev.amalgam.model.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.Tokenizers;

import java.nio.file.Path;
import java.util.List;

/** Builds a CLIP zero-shot head with the model's own text tower (multi-template averaged class vectors). */
public final class ClipZeroShot {
    private ClipZeroShot() {
    }

    /** CLIP's 77-token context, capped by the model's text position table (tiny test models have fewer). */
    public static int textLength(ClipModel clip) {
        return Math.min(Tokenizers.CLIP_MAX_LENGTH, clip.config().maxPositions());
    }

    public static ZeroShotHead build(ClipModel clip, Path tokenizerDir, List<String> classes, List<String> templates) {
        try (HuggingFaceTokenizer tok = Tokenizers.clip(tokenizerDir, textLength(clip))) {
            double logitScale = clip.parameter("logit_scale").getFloat();
            return ZeroShotHead.build(texts -> {
                try (NDManager m = clip.manager().newSubManager()) {
                    NDList batch = Tokenizers.batch(tok, texts, m);
                    float[] flat = clip.textFeatures(batch.get(0), batch.get(1)).toFloatArray();
                    int d = flat.length / texts.size();
                    float[][] rows = new float[texts.size()][d];
                    for (int i = 0; i < rows.length; i++) {
                        System.arraycopy(flat, i * d, rows[i], 0, d);
                    }
                    return rows;
                }
            }, classes, templates, logitScale);
        }
    }
}
