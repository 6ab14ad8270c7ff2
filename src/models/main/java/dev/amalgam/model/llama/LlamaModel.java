package dev.amalgam.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.HfCausalLmBlock;
import dev.amalgam.model.KvCache;
import dev.amalgam.model.ModelWeights;
import dev.amalgam.model.NamedParameters;
import dev.amalgam.model.Ops;
import dev.amalgam.model.WeightLookup;

/**
 * Hugging Face {@code LlamaForCausalLM} and its relatives {@code MistralForCausalLM} /
 * {@code Qwen2ForCausalLM}: RMSNorm, RoPE, grouped-query attention, SwiGLU MLP, optional q/k/v bias,
 * optional tied LM head. Block input: [input_ids]; output: [logits]. Mistral's sliding window is not
 * applied (it only matters beyond {@code sliding_window} tokens).
 */
public final class LlamaModel extends HfCausalLmBlock {
    private final LlamaConfig cfg;

    private LlamaModel(LlamaConfig cfg, NamedParameters params, NDManager manager) {
        super(params, manager, cfg.layers(), cfg.vocabSize(), cfg.eosTokenId());
        this.cfg = cfg;
    }

    public static LlamaModel load(HfConfig config, ModelWeights weights, NDManager parent) {
        LlamaConfig cfg = LlamaConfig.from(config);
        NamedParameters params = declare(cfg);
        return new LlamaModel(cfg, params, loadParameters(params, weights, parent));
    }

    /** The model's parameters with the shapes {@code c} implies (nothing loaded). */
    public static NamedParameters declare(LlamaConfig c) {
        NamedParameters p = new NamedParameters();
        int h = c.hiddenSize();
        long q = (long) c.heads() * c.headDim();
        long kv = (long) c.kvHeads() * c.headDim();
        p.declare("model.embed_tokens.weight", c.vocabSize(), h);
        for (int i = 0; i < c.layers(); i++) {
            String l = "model.layers." + i + ".";
            p.declare(l + "input_layernorm.weight", h);
            p.declare(l + "self_attn.q_proj.weight", q, h);
            p.declare(l + "self_attn.k_proj.weight", kv, h);
            p.declare(l + "self_attn.v_proj.weight", kv, h);
            if (c.qkvBias()) {
                p.declare(l + "self_attn.q_proj.bias", q);
                p.declare(l + "self_attn.k_proj.bias", kv);
                p.declare(l + "self_attn.v_proj.bias", kv);
            }
            p.declare(l + "self_attn.o_proj.weight", h, q);
            if (c.outBias()) {
                p.declare(l + "self_attn.o_proj.bias", h);
            }
            p.declare(l + "post_attention_layernorm.weight", h);
            p.declare(l + "mlp.gate_proj.weight", c.intermediateSize(), h);
            p.declare(l + "mlp.up_proj.weight", c.intermediateSize(), h);
            p.declare(l + "mlp.down_proj.weight", h, c.intermediateSize());
        }
        p.declare("model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            p.declare("lm_head.weight", c.vocabSize(), h);
        }
        return p;
    }

    public LlamaConfig config() {
        return cfg;
    }

    /** Final hidden states (after {@code model.norm}) [B, T, hidden]. */
    @Override
    public NDArray hiddenStates(WeightLookup w, NDArray ids, KvCache cache) {
        long t = ids.getShape().get(1);
        long offset = cache == null ? 0 : cache.length();
        NDManager m = ids.getManager();
        NDList rope = Rope.tables(m, cfg.ropeInvFreq(), t, offset);
        NDArray mask = Ops.causalMask(m, t, offset + t, offset);
        double scale = 1.0 / Math.sqrt(cfg.headDim());
        int rep = cfg.heads() / cfg.kvHeads();
        double eps = cfg.rmsNormEps();
        NDArray x = Ops.embed(w.get("model.embed_tokens.weight"), ids);
        for (int i = 0; i < cfg.layers(); i++) {
            String l = "model.layers." + i + ".";
            NDArray y = Ops.rmsNorm(x, w.get(l + "input_layernorm.weight"), eps);
            NDArray q = Rope.apply(Ops.splitHeads(proj(y, w, l + "self_attn.q_proj", cfg.qkvBias()), cfg.heads()), rope);
            NDArray k = Rope.apply(Ops.splitHeads(proj(y, w, l + "self_attn.k_proj", cfg.qkvBias()), cfg.kvHeads()), rope);
            NDArray v = Ops.splitHeads(proj(y, w, l + "self_attn.v_proj", cfg.qkvBias()), cfg.kvHeads());
            if (cache != null) {
                NDList kv = cache.append(i, k, v);
                k = kv.get(0);
                v = kv.get(1);
            }
            NDArray a = Ops.attention(q, Ops.repeatKv(k, rep), Ops.repeatKv(v, rep), mask, scale);
            x = x.add(proj(Ops.mergeHeads(a), w, l + "self_attn.o_proj", cfg.outBias()));
            y = Ops.rmsNorm(x, w.get(l + "post_attention_layernorm.weight"), eps);
            NDArray gate = Ops.activation(cfg.hiddenAct(), Ops.linear(y, w.get(l + "mlp.gate_proj.weight"), null));
            NDArray up = Ops.linear(y, w.get(l + "mlp.up_proj.weight"), null);
            x = x.add(Ops.linear(gate.mul(up), w.get(l + "mlp.down_proj.weight"), null));
        }
        return Ops.rmsNorm(x, w.get("model.norm.weight"), eps);
    }

    private static NDArray proj(NDArray x, WeightLookup w, String prefix, boolean bias) {
        return Ops.linear(x, w.get(prefix + ".weight"), bias ? w.get(prefix + ".bias") : null);
    }

    @Override
    protected String lmHeadWeightName() {
        return cfg.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
    }
}
