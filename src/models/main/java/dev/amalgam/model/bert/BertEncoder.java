package dev.amalgam.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.TensorSource;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.LayerStack;
import dev.amalgam.model.MapWeights;
import dev.amalgam.model.ModelWeights;
import dev.amalgam.model.NamedParameters;
import dev.amalgam.model.Ops;
import dev.amalgam.model.TensorSourceWeights;
import dev.amalgam.model.WeightLookup;

import java.util.Map;
import java.util.TreeMap;

/**
 * Hugging Face {@code BertModel} forward as a DJL block: word + position + token-type embeddings,
 * LayerNorm, post-LN encoder layers (masked self-attention, exact-erf GELU), optional tanh pooler.
 * Its parameters are DJL {@link ai.djl.nn.Parameter}s named by their HF state-dict keys, so the block can be
 * trained with a DJL Trainer and its weights rewritten in place ({@link #setParameter}) between
 * evaluations without rebuilding it.
 *
 * <p>Inputs: {@code input_ids [B, T]} (int64), optional {@code attention_mask [B, T]} (1 keep, 0 pad)
 * and {@code token_type_ids [B, T]}. Outputs: {@code last_hidden_state [B, T, H]}, then the pooled
 * output {@code [B, H]} when the weights include a pooler.
 */
public final class BertEncoder extends HfModelBlock {
    private final BertConfig config;
    private final boolean pooler;

    private BertEncoder(BertConfig config, boolean pooler, NamedParameters params, NDManager manager) {
        super(params, manager);
        this.config = config;
        this.pooler = pooler;
    }

    /**
     * Builds the encoder from weights under BertModel names (a {@code bert.} prefix, as in
     * BertFor* checkpoints, is accepted). The arrays are copied into a sub-manager of {@code parent}
     * that {@link #close()} releases. Extra tensors (e.g. a classifier) are ignored.
     */
    public static BertEncoder load(BertConfig config, ModelWeights weights, NDManager parent) {
        String prefix = !weights.contains("embeddings.word_embeddings.weight")
                && weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        ModelWeights named = prefix.isEmpty() ? weights : weights.withPrefixRemoved(prefix);
        boolean pooler = named.contains("pooler.dense.weight");
        NamedParameters params = new NamedParameters();
        // sorted, so parameterNames() lists them in name order
        new TreeMap<>(config.weightShapes(pooler)).forEach(params::declare);
        return new BertEncoder(config, pooler, params, loadParameters(params, named, parent));
    }

    /** {@link #load(BertConfig, ModelWeights, NDManager)} for {@code ModelRegistry}: the config from config.json. */
    public static BertEncoder load(HfConfig config, ModelWeights weights, NDManager parent) {
        return load(BertConfig.fromJson(config.json(), config.where()), weights, parent);
    }

    /** Weights read tensor by tensor (F32 copies; bf16/f16 checkpoints are decoded). */
    public static BertEncoder load(BertConfig config, TensorSource weights, NDManager parent) {
        return load(config, new TensorSourceWeights(weights), parent);
    }

    /** Builds the encoder from arrays by BertModel name (copied; the caller keeps its arrays). */
    public static BertEncoder load(BertConfig config, Map<String, NDArray> weights, NDManager parent) {
        return load(config, new MapWeights(weights, "weights"), parent);
    }

    public BertConfig config() {
        return config;
    }

    public boolean hasPooler() {
        return pooler;
    }

    /** Runs the encoder for inference (no dropout). */
    public NDList forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {
        NDList in = tokenTypeIds == null ? new NDList(inputIds, attentionMask)
                : new NDList(inputIds, attentionMask, tokenTypeIds);
        return forward(new ParameterStore(inputIds.getManager(), false), in, false);
    }

    /**
     * Inference with every weight read through {@code weights} (BertModel names) instead of the
     * encoder's own parameters: a fine-tune's, or merged weights inside the autograd graph (data-aware merges).
     */
    public NDList forward(WeightLookup weights, NDArray inputIds, NDArray attentionMask,
                          NDArray tokenTypeIds) {
        NDList in = tokenTypeIds == null ? new NDList(inputIds, attentionMask)
                : new NDList(inputIds, attentionMask, tokenTypeIds);
        return run(new Cx(weights, inputIds), in);
    }

    @Override
    public NDList forward(WeightLookup weights, NDList inputs) {
        return run(new Cx(weights, inputs.get(0)), inputs);
    }

    /** Training runs keep dropout, which the base class's lookup-only forward has no flag for. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return run(new Cx(ps, inputs.get(0), training), inputs);
    }

    private NDList run(Cx c, NDList inputs) {
        NDArray ids = inputs.get(0);
        NDManager m = ids.getManager();
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        if (t > config.maxPositions()) {
            throw new AmalgamException("input of " + t + " tokens is longer than max_position_embeddings "
                    + config.maxPositions());
        }
        NDArray mask = inputs.size() > 1 && inputs.get(1) != null ? inputs.get(1) : m.ones(new Shape(b, t));
        NDArray types = inputs.size() > 2 && inputs.get(2) != null ? inputs.get(2)
                : m.zeros(new Shape(b, t), DataType.INT64);
        NDArray positions = m.arange(0, (int) t, 1, DataType.INT64);
        NDArray x = embed(c.p("embeddings.word_embeddings.weight"), ids.toType(DataType.INT64, false))
                .add(embed(c.p("embeddings.token_type_embeddings.weight"), types.toType(DataType.INT64, false)))
                .add(embed(c.p("embeddings.position_embeddings.weight"), positions));
        x = dropout(layerNorm(c, x, "embeddings.LayerNorm"), config.hiddenDropout(), c.training);
        // additive mask: 0 where attended, the lowest float where padded, as HF does
        NDArray maskBias = mask.toType(DataType.FLOAT32, false).reshape(b, 1, 1, t).neg().add(1f)
                .mul(-Float.MAX_VALUE);
        x = LayerStack.run(x, config.numLayers(), (l, in) -> layer(c, in, maskBias, "encoder.layer." + l + ".", b, t));
        if (!pooler) {
            return new NDList(x);
        }
        NDArray first = x.get(":, 0, :");
        NDArray pooled = Activation.tanh(linear(c, first, "pooler.dense"));
        return new NDList(x, pooled);
    }

    private NDArray layer(Cx c, NDArray x, NDArray maskBias, String p, long b, long t) {
        int heads = config.numHeads();
        int hd = config.headDim();
        NDArray q = heads(linear(c, x, p + "attention.self.query"), b, t);
        NDArray k = heads(linear(c, x, p + "attention.self.key"), b, t);
        NDArray v = heads(linear(c, x, p + "attention.self.value"), b, t);
        NDArray scores = Ops.div(q.matMul(k.transpose(0, 1, 3, 2)), (float) Math.sqrt(hd)).add(maskBias);
        NDArray probs = dropout(scores.softmax(-1), config.attentionDropout(), c.training);
        NDArray ctx = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
        NDArray attn = dropout(linear(c, ctx, p + "attention.output.dense"), config.hiddenDropout(), c.training);
        NDArray a = layerNorm(c, attn.add(x), p + "attention.output.LayerNorm");
        NDArray inter = Activation.gelu(linear(c, a, p + "intermediate.dense"));
        NDArray out = dropout(linear(c, inter, p + "output.dense"), config.hiddenDropout(), c.training);
        return layerNorm(c, out.add(a), p + "output.LayerNorm");
    }

    private NDArray heads(NDArray x, long b, long t) {
        return x.reshape(b, t, config.numHeads(), config.headDim()).transpose(0, 2, 1, 3);
    }

    private static NDArray linear(Cx c, NDArray x, String prefix) {
        return dev.amalgam.model.Ops.linear(x, c.p(prefix + ".weight"), c.p(prefix + ".bias"));
    }

    private NDArray layerNorm(Cx c, NDArray x, String prefix) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), c.p(prefix + ".weight"), c.p(prefix + ".bias"),
                (float) config.layerNormEps()).singletonOrThrow();
    }

    private static NDArray embed(NDArray table, NDArray ids) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private static NDArray dropout(NDArray x, double rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).singletonOrThrow() : x;
    }

    /** Per-forward context: parameter values on the input's device through the parameter store. */
    private final class Cx {
        final ParameterStore ps;
        final ai.djl.Device device;
        final boolean training;

        final WeightLookup lookup;

        Cx(ParameterStore ps, NDArray ids, boolean training) {
            this.ps = ps;
            this.device = ids.getDevice();
            this.training = training;
            this.lookup = null;
        }

        Cx(WeightLookup lookup, NDArray ids) {
            this.ps = null;
            this.device = ids.getDevice();
            this.training = false;
            this.lookup = lookup;
        }

        NDArray p(String name) {
            return lookup != null ? lookup.get(name) : ps.getValue(parameters.get(name), device, training);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape hidden = new Shape(in.get(0), in.get(1), config.hiddenSize());
        return pooler ? new Shape[] {hidden, new Shape(in.get(0), config.hiddenSize())} : new Shape[] {hidden};
    }
}
