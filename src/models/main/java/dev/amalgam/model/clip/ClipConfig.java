package dev.amalgam.model.clip;

import dev.amalgam.AmalgamException;
import dev.amalgam.model.HfConfig;

/** A Hugging Face CLIPConfig: two towers and the shared projection size (HF defaults when absent). */
public record ClipConfig(Tower vision, Tower text, int projectionDim, int imageSize, int patchSize,
                         int numChannels, int vocabSize, int maxPositions, long eosTokenId) {

    /** One encoder tower's shape. */
    public record Tower(int hiddenSize, int intermediateSize, int layers, int heads, double layerNormEps,
                        String hiddenAct) {
        static Tower from(HfConfig c, int hidden, int inter, int layers, int heads) {
            Tower t = new Tower(c.integer("hidden_size", hidden), c.integer("intermediate_size", inter),
                    c.integer("num_hidden_layers", layers), c.integer("num_attention_heads", heads),
                    c.number("layer_norm_eps", 1e-5), c.text("hidden_act", "quick_gelu"));
            if (t.hiddenSize % t.heads != 0) {
                throw new AmalgamException(c.where() + ": hidden_size " + t.hiddenSize
                        + " is not divisible by num_attention_heads " + t.heads);
            }
            return t;
        }
    }

    public static ClipConfig from(HfConfig c) {
        HfConfig v = c.sub("vision_config");
        HfConfig t = c.sub("text_config");
        int image = v.integer("image_size", 224);
        int patch = v.integer("patch_size", 32);
        if (image % patch != 0) {
            throw new AmalgamException(c.where() + ": image_size " + image + " is not a multiple of patch_size " + patch);
        }
        long eos = t.has("eos_token_id") ? t.tokenId("eos_token_id") : 2; // CLIPTextConfig default
        return new ClipConfig(Tower.from(v, 768, 3072, 12, 12), Tower.from(t, 512, 2048, 12, 8),
                c.integer("projection_dim", 512), image, patch, v.integer("num_channels", 3),
                t.integer("vocab_size", 49408), t.integer("max_position_embeddings", 77), eos);
    }

    public int numPatches() {
        return (imageSize / patchSize) * (imageSize / patchSize);
    }

    /**
     * HF's rule: with {@code eos_token_id == 2} (configs from before the fix) the pooled token is the
     * highest id in the sequence; otherwise the first occurrence of {@code eos_token_id}.
     */
    public boolean legacyArgmaxPooling() {
        return eosTokenId == 2;
    }
}
