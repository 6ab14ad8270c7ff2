package dev.amalgam.model.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
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
            return ZeroShotHead.build(new ClipTextEmbedder(clip, tok), classes, templates, logitScale);
        }
    }
}
