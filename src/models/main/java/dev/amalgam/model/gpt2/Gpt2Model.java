package dev.amalgam.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.HfCausalLmBlock;
import dev.amalgam.model.KvCache;
import dev.amalgam.model.ModelWeights;
import dev.amalgam.model.NamedParameters;
import dev.amalgam.model.Ops;
import dev.amalgam.model.WeightLookup;

/**
 * Hugging Face {@code GPT2LMHeadModel}: learned positions, pre-LN blocks, {@code Conv1D} projections
 * (weights stored [in, out], so {@code x·W + b}), {@code gelu_new}, LM head tied to {@code wte}.
 * Block input: [input_ids]; output: [logits].
 */
public final class Gpt2Model extends HfCausalLmBlock {
    private static final String P = "transformer.";
    private final Gpt2Config cfg;

    private Gpt2Model(Gpt2Config cfg, NamedParameters params, NDManager manager) {
        super(params, manager, cfg.nLayer(), cfg.vocabSize(), cfg.eosTokenId());
        this.cfg = cfg;
    }

    /** Builds the model and loads its weights by name; the model owns a sub-manager of {@code parent}. */
    public static Gpt2Model load(HfConfig config, ModelWeights weights, NDManager parent) {
        Gpt2Config cfg = Gpt2Config.from(config);
        if (!weights.contains(P + "wte.weight") && weights.contains("wte.weight")) {
            weights = weights.withPrefixAdded(P);
        }
        NamedParameters params = declare(cfg);
        return new Gpt2Model(cfg, params, loadParameters(params, weights, parent));
    }

    /** The model's parameters with the shapes {@code c} implies (nothing loaded). */
    public static NamedParameters declare(Gpt2Config c) {
        NamedParameters p = new NamedParameters();
        int n = c.nEmbd();
        p.declare(P + "wte.weight", c.vocabSize(), n);
        p.declare(P + "wpe.weight", c.nPositions(), n);
        for (int i = 0; i < c.nLayer(); i++) {
            String l = P + "h." + i + ".";
            p.declare(l + "ln_1.weight", n);
            p.declare(l + "ln_1.bias", n);
            p.declare(l + "attn.c_attn.weight", n, 3L * n);
            p.declare(l + "attn.c_attn.bias", 3L * n);
            p.declare(l + "attn.c_proj.weight", n, n);
            p.declare(l + "attn.c_proj.bias", n);
            p.declare(l + "ln_2.weight", n);
            p.declare(l + "ln_2.bias", n);
            p.declare(l + "mlp.c_fc.weight", n, c.nInner());
            p.declare(l + "mlp.c_fc.bias", c.nInner());
            p.declare(l + "mlp.c_proj.weight", c.nInner(), n);
            p.declare(l + "mlp.c_proj.bias", n);
        }
        p.declare(P + "ln_f.weight", n);
        p.declare(P + "ln_f.bias", n);
        if (!c.tieWordEmbeddings()) {
            p.declare("lm_head.weight", c.vocabSize(), n);
        }
        return p;
    }

    public Gpt2Config config() {
        return cfg;
    }

    /** Final hidden states (after {@code ln_f}) [B, T, n_embd]. */
    @Override
    public NDArray hiddenStates(WeightLookup w, NDArray ids, KvCache cache) {
        long t = ids.getShape().get(1);
        long offset = cache == null ? 0 : cache.length();
        if (offset + t > cfg.nPositions()) {
            throw new IllegalArgumentException("sequence of " + (offset + t) + " tokens exceeds n_positions " + cfg.nPositions());
        }
        NDManager m = ids.getManager();
        NDArray pos = m.arange(offset, offset + t, 1, ai.djl.ndarray.types.DataType.INT64);
        NDArray x = Ops.embed(w.get(P + "wte.weight"), ids).add(Ops.embed(w.get(P + "wpe.weight"), pos));
        NDArray mask = Ops.causalMask(m, t, offset + t, offset);
        double scale = 1.0 / Math.sqrt(cfg.headDim());
        int n = cfg.nEmbd();
        for (int i = 0; i < cfg.nLayer(); i++) {
            String l = P + "h." + i + ".";
            NDArray h = Ops.layerNorm(x, w.get(l + "ln_1.weight"), w.get(l + "ln_1.bias"), cfg.layerNormEps());
            NDArray qkv = conv1d(h, w, l + "attn.c_attn");
            NDArray q = Ops.splitHeads(qkv.get(new NDIndex("..., 0:" + n)), cfg.nHead());
            NDArray k = Ops.splitHeads(qkv.get(new NDIndex("..., " + n + ":" + 2 * n)), cfg.nHead());
            NDArray v = Ops.splitHeads(qkv.get(new NDIndex("..., " + 2 * n + ":")), cfg.nHead());
            if (cache != null) {
                NDList kv = cache.append(i, k, v);
                k = kv.get(0);
                v = kv.get(1);
            }
            NDArray a = Ops.mergeHeads(Ops.attention(q, k, v, mask, scale));
            x = x.add(conv1d(a, w, l + "attn.c_proj"));
            h = Ops.layerNorm(x, w.get(l + "ln_2.weight"), w.get(l + "ln_2.bias"), cfg.layerNormEps());
            h = Ops.activation(cfg.activation(), conv1d(h, w, l + "mlp.c_fc"));
            x = x.add(conv1d(h, w, l + "mlp.c_proj"));
        }
        return Ops.layerNorm(x, w.get(P + "ln_f.weight"), w.get(P + "ln_f.bias"), cfg.layerNormEps());
    }

    private static NDArray conv1d(NDArray x, WeightLookup w, String prefix) {
        return Ops.conv1d(x, w.get(prefix + ".weight"), w.get(prefix + ".bias"));
    }

    @Override
    protected String lmHeadWeightName() {
        return cfg.tieWordEmbeddings() ? P + "wte.weight" : "lm_head.weight";
    }

    @Override
    public long maxSequenceLength() {
        return cfg.nPositions();
    }
}
