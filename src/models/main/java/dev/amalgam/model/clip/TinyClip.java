package dev.amalgam.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.io.Json;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.MapWeights;
import dev.amalgam.model.clip.ClipModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The image suite's CLIP: an HF {@code CLIPModel} config small enough to pretrain on two CPU cores
 * (ViT 28×28, patch 7, width 64, 4 layers; a 2-layer text tower over a word-level vocabulary), and
 * its seeded random initialisation (HF's CLIP init scheme, simplified: N(0, 0.02) matrices and
 * embeddings, zero biases, unit LayerNorm weights, {@code logit_scale = ln(1/0.07)}).
 */
public record TinyClip(int imageSize, int patchSize, int visionWidth, int visionLayers, int textWidth, int textLayers,
                       int heads, int projectionDim, int maxTokens, int vocabSize) {

    public static final double LOGIT_SCALE_INIT = Math.log(1 / 0.07);

    public static TinyClip standard(int vocabSize) {
        return new TinyClip(28, 7, 64, 4, 64, 2, 4, 64, WordTokenizer.MAX_LENGTH, vocabSize);
    }

    public ObjectNode configJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putArray("architectures").add("CLIPModel");
        root.put("model_type", "clip");
        root.put("projection_dim", projectionDim);
        root.put("logit_scale_init_value", LOGIT_SCALE_INIT);
        root.put("initializer_factor", 1.0);
        ObjectNode v = root.putObject("vision_config");
        v.put("model_type", "clip_vision_model");
        v.put("image_size", imageSize);
        v.put("patch_size", patchSize);
        v.put("num_channels", 3);
        tower(v, visionWidth, visionLayers);
        ObjectNode t = root.putObject("text_config");
        t.put("model_type", "clip_text_model");
        t.put("vocab_size", vocabSize);
        t.put("max_position_embeddings", maxTokens);
        t.put("pad_token_id", WordTokenizer.PAD_ID);
        t.put("bos_token_id", WordTokenizer.BOS_ID);
        t.put("eos_token_id", WordTokenizer.EOS_ID);
        tower(t, textWidth, textLayers);
        return root;
    }

    private void tower(ObjectNode n, int width, int layers) {
        n.put("hidden_size", width);
        n.put("intermediate_size", 4 * width);
        n.put("num_hidden_layers", layers);
        n.put("num_attention_heads", heads);
        n.put("hidden_act", "quick_gelu");
        n.put("layer_norm_eps", 1e-5);
        n.put("projection_dim", projectionDim);
    }

    public HfConfig hfConfig() {
        return new HfConfig(configJson(), "tiny CLIP config");
    }

    /** A freshly initialised model (weights drawn from {@code seed}) in a sub-manager of {@code parent}. */
    public ClipModel initialise(long seed, NDManager parent) {
        try (NDManager tmp = parent.newSubManager()) {
            Map<String, NDArray> w = initialWeights(seed, tmp);
            return ClipModel.load(hfConfig(), new MapWeights(w, "tiny CLIP init"), parent);
        }
    }

    /** Seeded initial tensors under HF names, in sorted order so the draw order is fixed. */
    public Map<String, NDArray> initialWeights(long seed, NDManager m) {
        Random rng = new Random(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        int grid = imageSize / patchSize;
        normal(out, m, rng, "vision_model.embeddings.class_embedding", visionWidth);
        normal(out, m, rng, "vision_model.embeddings.patch_embedding.weight", visionWidth, 3, patchSize, patchSize);
        normal(out, m, rng, "vision_model.embeddings.position_embedding.weight", grid * grid + 1, visionWidth);
        norm(out, m, "vision_model.pre_layrnorm", visionWidth);
        encoder(out, m, rng, "vision_model.encoder", visionWidth, visionLayers);
        norm(out, m, "vision_model.post_layernorm", visionWidth);
        normal(out, m, rng, "text_model.embeddings.token_embedding.weight", vocabSize, textWidth);
        normal(out, m, rng, "text_model.embeddings.position_embedding.weight", maxTokens, textWidth);
        encoder(out, m, rng, "text_model.encoder", textWidth, textLayers);
        norm(out, m, "text_model.final_layer_norm", textWidth);
        normal(out, m, rng, "visual_projection.weight", projectionDim, visionWidth);
        normal(out, m, rng, "text_projection.weight", projectionDim, textWidth);
        out.put("logit_scale", owned(m.create((float) LOGIT_SCALE_INIT)));
        return out;
    }

    /**
     * A copy in engine-owned memory. PyTorch's {@code create(float[])} wraps a Java direct buffer, and
     * MapWeights' same-dtype "copy" shares that storage, so without this the model's weights would be
     * freed with the buffer (use-after-free seen as NaN losses / heap corruption after a GC).
     */
    private static NDArray owned(NDArray javaBacked) {
        NDArray copy = javaBacked.duplicate();
        javaBacked.close();
        return copy;
    }

    private static void encoder(Map<String, NDArray> out, NDManager m, Random rng, String prefix, int h, int layers) {
        for (int i = 0; i < layers; i++) {
            String l = prefix + ".layers." + i + ".";
            for (String p : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                normal(out, m, rng, l + "self_attn." + p + ".weight", h, h);
                out.put(l + "self_attn." + p + ".bias", m.zeros(new Shape(h)));
            }
            norm(out, m, l + "layer_norm1", h);
            normal(out, m, rng, l + "mlp.fc1.weight", 4 * h, h);
            out.put(l + "mlp.fc1.bias", m.zeros(new Shape(4L * h)));
            normal(out, m, rng, l + "mlp.fc2.weight", h, 4 * h);
            out.put(l + "mlp.fc2.bias", m.zeros(new Shape(h)));
            norm(out, m, l + "layer_norm2", h);
        }
    }

    private static void norm(Map<String, NDArray> out, NDManager m, String prefix, int n) {
        out.put(prefix + ".weight", m.ones(new Shape(n)));
        out.put(prefix + ".bias", m.zeros(new Shape(n)));
    }

    private static void normal(Map<String, NDArray> out, NDManager m, Random rng, String name, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.02 * rng.nextGaussian());
        }
        out.put(name, owned(m.create(v, new Shape(shape))));
    }
}
