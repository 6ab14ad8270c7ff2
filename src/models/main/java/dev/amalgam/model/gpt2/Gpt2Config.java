package dev.amalgam.model.gpt2;

import dev.amalgam.AmalgamException;
import dev.amalgam.model.HfConfig;

/** The fields of a Hugging Face GPT2Config that the forward pass needs (HF defaults when absent). */
public record Gpt2Config(int vocabSize, int nEmbd, int nLayer, int nHead, int nPositions, int nInner,
                         double layerNormEps, String activation, long eosTokenId, boolean tieWordEmbeddings) {

    public static Gpt2Config from(HfConfig c) {
        int nEmbd = c.integer("n_embd", 768);
        int nHead = c.integer("n_head", 12);
        if (nEmbd % nHead != 0) {
            throw new AmalgamException(c.where() + ": n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        }
        if (c.bool("scale_attn_by_inverse_layer_idx", false) || c.bool("reorder_and_upcast_attn", false)) {
            throw new AmalgamException(c.where() + ": scale_attn_by_inverse_layer_idx / reorder_and_upcast_attn "
                    + "are not supported");
        }
        return new Gpt2Config(c.integer("vocab_size", 50257), nEmbd, c.integer("n_layer", 12), nHead,
                c.integer("n_positions", 1024), c.integer("n_inner", 4 * nEmbd),
                c.number("layer_norm_epsilon", 1e-5), c.text("activation_function", "gelu_new"),
                c.tokenId("eos_token_id"), c.bool("tie_word_embeddings", true));
    }

    public int headDim() {
        return nEmbd / nHead;
    }
}
