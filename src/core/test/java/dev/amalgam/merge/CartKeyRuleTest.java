package dev.amalgam.merge;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CART low-rank whitelist per architecture (docs/methods/merge-methods.md §16.2), name by name. */
class CartKeyRuleTest {
    static final long[] M = {8, 8};
    final CartKeyRule clip = new CartKeyRule(CartKeyRule.Kind.CLIP, null);
    final CartKeyRule lm = new CartKeyRule(CartKeyRule.Kind.LM, null);

    @Test
    void clipWhitelist() {
        for (String n : List.of(
                "visual.transformer.resblocks.0.attn.in_proj_weight",
                "model.visual.transformer.resblocks.11.attn.out_proj.weight",
                "visual.transformer.resblocks.3.mlp.c_fc.weight",
                "visual.transformer.resblocks.3.mlp.c_proj.weight",
                "vision_model.encoder.layers.0.self_attn.q_proj.weight",
                "vision_model.encoder.layers.0.self_attn.k_proj.weight",
                "vision_model.encoder.layers.0.self_attn.v_proj.weight",
                "vision_model.encoder.layers.0.self_attn.out_proj.weight",
                "vision_model.encoder.layers.11.mlp.fc1.weight",
                "vision_model.encoder.layers.11.mlp.fc2.weight",
                "bert.encoder.layer.0.attention.self.query.weight",
                "encoder.layer.5.attention.self.key.weight",
                "encoder.layer.5.attention.self.value.weight",
                "encoder.layer.5.attention.output.dense.weight",
                "encoder.layer.5.intermediate.dense.weight",
                "encoder.layer.5.output.dense.weight",
                "transformer.h.0.attn.c_attn.weight",
                "h.1.attn.c_proj.weight",
                "h.1.mlp.c_fc.weight",
                "h.1.mlp.c_proj.weight",
                "model.layers.7.self_attn.o_proj.weight",
                "model.layers.7.mlp.gate_proj.weight",
                "model.layers.7.mlp.up_proj.weight",
                "model.layers.7.mlp.down_proj.weight")) {
            assertTrue(clip.isLowRank(n, M), n);
        }
        for (String n : List.of(
                "vision_model.encoder.layers.0.layer_norm1.weight",
                "vision_model.encoder.layers.0.layer_norm2.weight",
                "vision_model.pre_layrnorm.weight",
                "vision_model.embeddings.patch_embedding.weight",
                "vision_model.embeddings.position_embedding.weight",
                "visual_projection.weight",
                "visual.proj",
                "visual.transformer.resblocks.0.ln_1.weight",
                "visual.transformer.resblocks.0.attn.in_proj_bias",
                "bert.pooler.dense.weight",
                "bert.embeddings.word_embeddings.weight",
                "wte.weight",
                "model.embed_tokens.weight",
                "lm_head.weight",
                "classifier.weight")) {
            assertFalse(clip.isLowRank(n, M), n);
        }
        assertFalse(clip.isLowRank("vision_model.encoder.layers.0.mlp.fc1.weight", new long[]{8}), "only 2-D");
        assertFalse(clip.isLowRank("vision_model.encoder.layers.0.mlp.fc1.bias", new long[]{8}));
    }

    @Test
    void lmRuleAndExclusions() {
        assertTrue(lm.isLowRank("roberta.embeddings.word_embeddings.weight", M));
        assertTrue(lm.isLowRank("roberta.encoder.layer.0.attention.self.query.weight", M));
        assertTrue(lm.isLowRank("wte.weight", M));
        assertFalse(lm.isLowRank("roberta.embeddings.token_type_embeddings.weight", M));
        assertFalse(lm.isLowRank("roberta.encoder.layer.0.attention.output.LayerNorm.weight", M));
        assertFalse(lm.isLowRank("h.0.ln_1.weight", M));
        assertFalse(lm.isLowRank("h.0.attn.c_attn.bias", M));
        assertFalse(lm.isLowRank("roberta.encoder.layer.0.attention.self.query.weight", new long[]{8}));
        CartKeyRule noHead = new CartKeyRule(CartKeyRule.Kind.LM, Pattern.compile("^classifier\\."));
        assertFalse(noHead.isLowRank("classifier.dense.weight", M));
        assertTrue(noHead.isLowRank("roberta.encoder.layer.0.output.dense.weight", M));
    }

    @Test
    void qkvTriples() {
        String p = "vision_model.encoder.layers.2.self_attn.";
        String b = "encoder.layer.1.attention.self.";
        List<List<String>> g = CartKeyRule.qkvTriples(List.of(p + "v_proj.weight", p + "k_proj.weight", p + "q_proj.weight",
                p + "out_proj.weight", p + "q_proj.bias", b + "value.weight", b + "query.weight", b + "key.weight"));
        assertEquals(List.of(List.of(b + "query.weight", b + "key.weight", b + "value.weight"),
                List.of(p + "q_proj.weight", p + "k_proj.weight", p + "v_proj.weight")), g);
        assertTrue(CartKeyRule.qkvTriples(List.of("visual.transformer.resblocks.0.attn.in_proj_weight")).isEmpty());
    }
}
