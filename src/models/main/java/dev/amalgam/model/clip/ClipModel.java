package dev.amalgam.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.ModelWeights;
import dev.amalgam.model.NamedParameters;
import dev.amalgam.model.Ops;
import dev.amalgam.model.WeightLookup;

/**
 * Hugging Face {@code CLIPModel}: a ViT image tower (patch embedding, class + position embeddings,
 * {@code pre_layrnorm}, pre-LN encoder, {@code post_layernorm} on the class token, bias-free
 * {@code visual_projection}) and a causal text tower (pooled at the EOS token, {@code text_projection}),
 * plus {@code logit_scale}.
 * Block inputs: [pixel_values [B,3,H,W], input_ids [N,T], attention_mask [N,T] (optional)];
 * outputs: [logits_per_image [B,N], logits_per_text [N,B], image_embeds, text_embeds].
 */
public final class ClipModel extends HfModelBlock {
    private final ClipConfig cfg;

    private ClipModel(ClipConfig cfg, NamedParameters params, NDManager manager) {
        super(params, manager);
        this.cfg = cfg;
    }

    public static ClipModel load(HfConfig config, ModelWeights weights, NDManager parent) {
        ClipConfig cfg = ClipConfig.from(config);
        NamedParameters params = declare(cfg);
        return new ClipModel(cfg, params, loadParameters(params, weights, parent));
    }

    /** The model's parameters with the shapes {@code c} implies (nothing loaded). */
    public static NamedParameters declare(ClipConfig c) {
        NamedParameters p = new NamedParameters();
        int vh = c.vision().hiddenSize();
        int th = c.text().hiddenSize();
        p.declare("vision_model.embeddings.class_embedding", vh);
        p.declare("vision_model.embeddings.patch_embedding.weight", vh, c.numChannels(), c.patchSize(), c.patchSize());
        p.declare("vision_model.embeddings.position_embedding.weight", c.numPatches() + 1L, vh);
        declareNorm(p, "vision_model.pre_layrnorm", vh);
        declareEncoder(p, "vision_model.encoder", c.vision());
        declareNorm(p, "vision_model.post_layernorm", vh);
        p.declare("text_model.embeddings.token_embedding.weight", c.vocabSize(), th);
        p.declare("text_model.embeddings.position_embedding.weight", c.maxPositions(), th);
        declareEncoder(p, "text_model.encoder", c.text());
        declareNorm(p, "text_model.final_layer_norm", th);
        p.declare("visual_projection.weight", c.projectionDim(), vh);
        p.declare("text_projection.weight", c.projectionDim(), th);
        p.declare("logit_scale");
        return p;
    }

    private static void declareNorm(NamedParameters p, String prefix, int n) {
        p.declare(prefix + ".weight", n);
        p.declare(prefix + ".bias", n);
    }

    private static void declareEncoder(NamedParameters p, String prefix, ClipConfig.Tower t) {
        int h = t.hiddenSize();
        for (int i = 0; i < t.layers(); i++) {
            String l = prefix + ".layers." + i + ".";
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                p.declare(l + "self_attn." + proj + ".weight", h, h);
                p.declare(l + "self_attn." + proj + ".bias", h);
            }
            declareNorm(p, l + "layer_norm1", h);
            p.declare(l + "mlp.fc1.weight", t.intermediateSize(), h);
            p.declare(l + "mlp.fc1.bias", t.intermediateSize());
            p.declare(l + "mlp.fc2.weight", h, t.intermediateSize());
            p.declare(l + "mlp.fc2.bias", h);
            declareNorm(p, l + "layer_norm2", h);
        }
    }

    public ClipConfig config() {
        return cfg;
    }

    public WeightLookup ownWeights() {
        return params;
    }

    /** Vision tower: [last_hidden_state [B, 1+P, H], pooler_output [B, H]] for pixel_values [B, C, S, S]. */
    public NDList visionModel(WeightLookup w, NDArray pixels) {
        Shape s = pixels.getShape();
        long b = s.get(0);
        int p = cfg.patchSize();
        long g = cfg.imageSize() / p;
        if (s.dimension() != 4 || s.get(1) != cfg.numChannels() || s.get(2) != cfg.imageSize() || s.get(3) != cfg.imageSize()) {
            throw new IllegalArgumentException("pixel_values must be [B, " + cfg.numChannels() + ", "
                    + cfg.imageSize() + ", " + cfg.imageSize() + "], got " + s);
        }
        int h = cfg.vision().hiddenSize();
        // Patch embedding (a stride-p, kernel-p convolution) as unfold + matmul.
        NDArray patches = pixels.reshape(b, s.get(1), g, p, g, p).transpose(0, 2, 4, 1, 3, 5)
                .reshape(b, g * g, s.get(1) * p * p);
        NDArray kernel = Ops.local(w.get("vision_model.embeddings.patch_embedding.weight").reshape(h, -1),
                pixels.getManager());
        NDArray x = Ops.linear(patches, kernel, null);
        NDArray cls = pixels.getManager().zeros(new Shape(b, 1, h), pixels.getDataType()).add(w.get("vision_model.embeddings.class_embedding"));
        x = cls.concat(x, 1).add(w.get("vision_model.embeddings.position_embedding.weight"));
        ClipConfig.Tower t = cfg.vision();
        x = norm(x, w, "vision_model.pre_layrnorm", t);
        NDArray last = ClipEncoder.forward(w, "vision_model.encoder", t, x, null);
        NDArray pooled = norm(last.get(new NDIndex(":, 0, :")), w, "vision_model.post_layernorm", t);
        return new NDList(last, pooled);
    }

    /**
     * Text tower: [last_hidden_state [N, T, H] (after final_layer_norm), pooler_output [N, H]] for
     * input_ids [N, T]; {@code attentionMask} (0/1, [N, T]) may be null.
     */
    public NDList textModel(WeightLookup w, NDArray ids, NDArray attentionMask) {
        long n = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        if (t > cfg.maxPositions()) {
            throw new IllegalArgumentException("text of " + t + " tokens exceeds max_position_embeddings " + cfg.maxPositions());
        }
        NDManager m = ids.getManager();
        NDArray pos = Ops.embed(w.get("text_model.embeddings.position_embedding.weight"),
                m.arange(0, t, 1, DataType.INT64));
        NDArray x = Ops.embed(w.get("text_model.embeddings.token_embedding.weight"), ids).add(pos);
        NDArray mask = Ops.causalMask(m, t, t, 0);
        if (attentionMask != null) {
            mask = mask.add(Ops.paddingMask(attentionMask));
        }
        ClipConfig.Tower tower = cfg.text();
        NDArray last = ClipEncoder.forward(w, "text_model.encoder", tower, x, mask);
        last = norm(last, w, "text_model.final_layer_norm", tower);
        NDArray ids64 = ids.toType(DataType.INT64, false);
        NDArray eosIndex = cfg.legacyArgmaxPooling() ? ids64.argMax(1)
                : ids64.eq(cfg.eosTokenId()).toType(DataType.INT32, false).argMax(1);
        NDArray pooled = last.get(new NDIndex("{}, {}", m.arange(0, n, 1, DataType.INT64), eosIndex));
        return new NDList(last, pooled);
    }

    /** Equivalent of HF {@code get_image_features}: projected, unnormalised image embeddings [B, D]. */
    public NDArray imageFeatures(WeightLookup w, NDArray pixels) {
        return Ops.linear(visionModel(w, pixels).get(1), w.get("visual_projection.weight"), null);
    }

    public NDArray imageFeatures(NDArray pixels) {
        return imageFeatures(params, pixels);
    }

    /** Equivalent of HF {@code get_text_features}: projected, unnormalised text embeddings [N, D]. */
    public NDArray textFeatures(WeightLookup w, NDArray ids, NDArray attentionMask) {
        return Ops.linear(textModel(w, ids, attentionMask).get(1), w.get("text_projection.weight"), null);
    }

    public NDArray textFeatures(NDArray ids, NDArray attentionMask) {
        return textFeatures(params, ids, attentionMask);
    }

    @Override
    public NDList forward(WeightLookup w, NDList inputs) {
        NDArray image = imageFeatures(w, inputs.get(0));
        NDArray text = textFeatures(w, inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null);
        NDArray ie = image.div(image.norm(new int[] {-1}, true));
        NDArray te = text.div(text.norm(new int[] {-1}, true));
        NDArray scale = Ops.local(w.get("logit_scale").exp(), te.getManager());
        NDArray logitsPerText = te.matMul(ie.transpose()).mul(scale);
        return new NDList(logitsPerText.transpose(), logitsPerText, image, text);
    }

    private static NDArray norm(NDArray x, WeightLookup w, String prefix, ClipConfig.Tower t) {
        return Ops.layerNorm(x, w.get(prefix + ".weight"), w.get(prefix + ".bias"), t.layerNormEps());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        long b = in[0].get(0);
        long n = in[1].get(0);
        return new Shape[] {new Shape(b, n), new Shape(n, b), new Shape(b, cfg.projectionDim()),
            new Shape(n, cfg.projectionDim())};
    }
}
