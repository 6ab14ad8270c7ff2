package dev.amalgam.model.llama;

import dev.amalgam.AmalgamException;
import dev.amalgam.model.HfConfig;

/**
 * The fields of a Hugging Face Llama / Mistral / Qwen2 config the forward pass needs (HF defaults when
 * absent). {@code qkvBias}: Qwen2 always, Llama with {@code attention_bias}; {@code outBias}: Llama with
 * {@code attention_bias} only.
 */
public record LlamaConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int layers,
                          int heads, int kvHeads, int headDim, double rmsNormEps, String hiddenAct,
                          boolean tieWordEmbeddings, boolean qkvBias, boolean outBias, long eosTokenId,
                          float[] ropeInvFreq) {

    public static LlamaConfig from(HfConfig c) {
        String type = c.text("model_type", "llama");
        int hidden = c.integer("hidden_size", 4096);
        int heads = c.integer("num_attention_heads", 32);
        int kv = c.integer("num_key_value_heads", heads);
        if (heads % kv != 0) {
            throw new AmalgamException(c.where() + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kv);
        }
        int headDim = c.integer("head_dim", hidden / heads);
        boolean attentionBias = c.bool("attention_bias", false);
        boolean qwen2 = type.equals("qwen2");
        if (c.bool("mlp_bias", false)) {
            throw new AmalgamException(c.where() + ": mlp_bias=true is not supported");
        }
        if (qwen2 && c.bool("use_sliding_window", false)) {
            throw new AmalgamException(c.where() + ": use_sliding_window=true is not supported");
        }
        return new LlamaConfig(type, c.integer("vocab_size", 32000), hidden, c.integer("intermediate_size", 11008),
                c.integer("num_hidden_layers", 32), heads, kv, headDim, c.number("rms_norm_eps", 1e-6),
                c.text("hidden_act", "silu"), c.bool("tie_word_embeddings", false), qwen2 || attentionBias,
                !qwen2 && attentionBias, c.tokenId("eos_token_id"), Rope.inverseFrequencies(c, headDim));
    }
}
