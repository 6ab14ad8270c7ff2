package dev.amalgam.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.TensorSource;
import dev.amalgam.model.LayerStack;
import dev.amalgam.model.Ops;
import dev.amalgam.tensor.TensorBridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hugging Face {@code BertModel} forward as a DJL block: word + position + token-type embeddings,
 * LayerNorm, post-LN encoder layers (masked self-attention, exact-erf GELU), optional tanh pooler.
 * Its parameters are DJL {@link Parameter}s named by their HF state-dict keys, so the block can be
 * trained with a DJL Trainer and its weights rewritten in place ({@link #setParameter}) between
 * evaluations without rebuilding it.
 *
 * <p>Inputs: {@code input_ids [B, T]} (int64), optional {@code attention_mask [B, T]} (1 keep, 0 pad)
 * and {@code token_type_ids [B, T]}. Outputs: {@code last_hidden_state [B, T, H]}, then the pooled
 * output {@code [B, H]} when the weights include a pooler.
 */
public final class BertEncoder extends AbstractBlock implements AutoCloseable {
    private final BertConfig config;
    private final boolean pooler;
    private final NDManager manager;
    private final Map<String, Parameter> byName = new TreeMap<>();

    private BertEncoder(BertConfig config, boolean pooler, NDManager manager) {
        this.config = config;
        this.pooler = pooler;
        this.manager = manager;
    }

    /**
     * Builds the encoder from weights under BertModel names (a {@code bert.} prefix, as in
     * BertFor* checkpoints, is accepted). The arrays are copied into a sub-manager of {@code parent}
     * that {@link #close()} releases. Extra tensors (e.g. a classifier) are ignored.
     */
    public static BertEncoder load(BertConfig config, TensorSource weights, NDManager parent) {
        String prefix = !weights.contains("embeddings.word_embeddings.weight")
                && weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        boolean pooler = weights.contains(prefix + "pooler.dense.weight");
        BertEncoder enc = new BertEncoder(config, pooler, parent.newSubManager());
        try {
            for (Map.Entry<String, long[]> e : config.weightShapes(pooler).entrySet()) {
                String name = e.getKey();
                if (!weights.contains(prefix + name)) {
                    throw new AmalgamException(weights.describe() + ": missing BERT weight '" + prefix + name + "'");
                }
                // F32 copy owned by the encoder (bf16/f16 checkpoints are decoded; DJL cannot create BF16 arrays)
                NDArray arr = TensorBridge.toF32(enc.manager, weights, prefix + name);
                arr.setName(name);
                enc.register(name, e.getValue(), arr, weights.describe());
            }
        } catch (RuntimeException ex) {
            enc.close();
            throw ex;
        }
        return enc;
    }

    /** Builds the encoder from arrays by BertModel name (copied; the caller keeps its arrays). */
    public static BertEncoder load(BertConfig config, Map<String, NDArray> weights, NDManager parent) {
        boolean pooler = weights.containsKey("pooler.dense.weight");
        BertEncoder enc = new BertEncoder(config, pooler, parent.newSubManager());
        try {
            for (Map.Entry<String, long[]> e : config.weightShapes(pooler).entrySet()) {
                NDArray src = weights.get(e.getKey());
                if (src == null) {
                    throw new AmalgamException("missing BERT weight '" + e.getKey() + "'");
                }
                NDArray arr = src.toType(DataType.FLOAT32, true);
                arr.attach(enc.manager);
                enc.register(e.getKey(), e.getValue(), arr, "weights");
            }
        } catch (RuntimeException ex) {
            enc.close();
            throw ex;
        }
        return enc;
    }

    private void register(String name, long[] shape, NDArray arr, String where) {
        if (!Arrays.equals(arr.getShape().getShape(), shape)) {
            throw new AmalgamException(where + ": tensor '" + name + "' has shape " + arr.getShape()
                    + ", the config needs " + new Shape(shape));
        }
        if (arr.getDataType() != DataType.FLOAT32) {
            NDArray f = arr.toType(DataType.FLOAT32, false);
            arr.close();
            arr = f;
        }
        arr.setName(name);
        Parameter.Type type = name.endsWith("bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT;
        Parameter p = addParameter(Parameter.builder().setName(name).setType(type).optArray(arr).build());
        byName.put(name, p);
    }

    public BertConfig config() {
        return config;
    }

    public boolean hasPooler() {
        return pooler;
    }

    /** The HF names of all parameters, sorted. */
    public List<String> parameterNames() {
        return Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
    }

    /** The live array of a parameter (writes to it change the model). */
    public NDArray parameter(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new AmalgamException("BERT encoder has no parameter '" + name + "'");
        }
        return p.getArray();
    }

    /** Copies {@code value} into the parameter in place; shape must match, dtype is converted. */
    public void setParameter(String name, NDArray value) {
        NDArray target = parameter(name);
        if (!target.getShape().equals(value.getShape())) {
            throw new AmalgamException("tensor '" + name + "' has shape " + value.getShape() + ", the encoder's is "
                    + target.getShape());
        }
        NDArray v = value.getDataType() == target.getDataType() ? value : value.toType(target.getDataType(), false);
        target.set(new NDIndex("..."), v);
        if (v != value) {
            v.close();
        }
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
    public NDList forward(dev.amalgam.model.WeightLookup weights, NDArray inputIds, NDArray attentionMask,
                          NDArray tokenTypeIds) {
        NDList in = tokenTypeIds == null ? new NDList(inputIds, attentionMask)
                : new NDList(inputIds, attentionMask, tokenTypeIds);
        return run(new Cx(weights, inputIds), in);
    }

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

        final dev.amalgam.model.WeightLookup lookup;

        Cx(ParameterStore ps, NDArray ids, boolean training) {
            this.ps = ps;
            this.device = ids.getDevice();
            this.training = training;
            this.lookup = null;
        }

        Cx(dev.amalgam.model.WeightLookup lookup, NDArray ids) {
            this.ps = null;
            this.device = ids.getDevice();
            this.training = false;
            this.lookup = lookup;
        }

        NDArray p(String name) {
            return lookup != null ? lookup.get(name) : ps.getValue(byName.get(name), device, training);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape hidden = new Shape(in.get(0), in.get(1), config.hiddenSize());
        return pooler ? new Shape[] {hidden, new Shape(in.get(0), config.hiddenSize())} : new Shape[] {hidden};
    }

    @Override
    public void close() {
        manager.close();
    }
}
