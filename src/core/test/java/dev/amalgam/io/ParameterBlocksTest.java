package dev.amalgam.io;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Grouping of the state-dict key layouts of real architectures (as the Hugging Face / OpenCLIP model
 * classes name them: CLIP ViT-B/32, BERT-base MLM, GPT-2 LM, Llama/Qwen2, OpenCLIP ViT-B-32). Expected
 * groups are written out by hand.
 */
class ParameterBlocksTest {

    private static List<String> layers(String prefix, int n, String... suffixes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (String s : suffixes) {
                out.add(prefix + i + "." + s);
            }
        }
        return out;
    }

    private static final String[] CLIP_LAYER = {"self_attn.k_proj.weight", "self_attn.k_proj.bias",
            "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.q_proj.weight", "self_attn.q_proj.bias",
            "self_attn.out_proj.weight", "self_attn.out_proj.bias", "layer_norm1.weight", "layer_norm1.bias",
            "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias", "layer_norm2.weight", "layer_norm2.bias"};

    static List<String> hfClip() {
        List<String> n = new ArrayList<>(List.of("logit_scale", "text_model.embeddings.position_embedding.weight",
                "text_model.embeddings.position_ids", "text_model.embeddings.token_embedding.weight",
                "text_model.final_layer_norm.weight", "text_model.final_layer_norm.bias", "text_projection.weight",
                "vision_model.embeddings.class_embedding", "vision_model.embeddings.patch_embedding.weight",
                "vision_model.embeddings.position_embedding.weight", "vision_model.embeddings.position_ids",
                "vision_model.pre_layrnorm.weight", "vision_model.pre_layrnorm.bias",
                "vision_model.post_layernorm.weight", "vision_model.post_layernorm.bias", "visual_projection.weight"));
        n.addAll(layers("text_model.encoder.layers.", 12, CLIP_LAYER));
        n.addAll(layers("vision_model.encoder.layers.", 12, CLIP_LAYER));
        Collections.shuffle(n, new java.util.Random(1));
        return n;
    }

    @Test
    void hfClipGroups() {
        Map<String, List<String>> g = ParameterBlocks.of(hfClip()).groups();
        List<String> expected = new ArrayList<>(List.of("logit_scale", "text_model.embeddings"));
        for (int i = 0; i < 12; i++) {
            expected.add("text_model.encoder.layers." + i);
        }
        expected.addAll(List.of("text_model.final_layer_norm", "text_projection", "vision_model.embeddings"));
        for (int i = 0; i < 12; i++) {
            expected.add("vision_model.encoder.layers." + i);
        }
        expected.addAll(List.of("vision_model.post_layernorm", "vision_model.pre_layrnorm", "visual_projection"));
        assertEquals(expected, new ArrayList<>(g.keySet()));
        assertEquals(16, g.get("vision_model.encoder.layers.11").size());
        assertEquals(4, g.get("vision_model.embeddings").size());
        assertEquals("vision_model.encoder.layers.3", ParameterBlocks.groupOf("vision_model.encoder.layers.3.mlp.fc1.weight"));
        assertEquals(3, ParameterBlocks.blockIndex("vision_model.encoder.layers.3.mlp.fc1.weight"));
        assertEquals(-1, ParameterBlocks.blockIndex("vision_model.post_layernorm.weight"));
    }

    @Test
    void bertWithAndWithoutPrefix() {
        String[] layer = {"attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
                "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
                "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
                "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
                "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias"};
        List<String> mlm = new ArrayList<>(List.of("bert.embeddings.word_embeddings.weight",
                "bert.embeddings.position_embeddings.weight", "bert.embeddings.token_type_embeddings.weight",
                "bert.embeddings.LayerNorm.gamma", "bert.embeddings.LayerNorm.beta", "bert.pooler.dense.weight",
                "bert.pooler.dense.bias", "cls.predictions.bias", "cls.predictions.transform.dense.weight",
                "cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.gamma",
                "cls.predictions.transform.LayerNorm.beta", "cls.predictions.decoder.weight"));
        mlm.addAll(layers("bert.encoder.layer.", 12, layer));
        Map<String, List<String>> g = ParameterBlocks.of(mlm).groups();
        List<String> expected = new ArrayList<>(List.of("bert.embeddings"));
        for (int i = 0; i < 12; i++) {
            expected.add("bert.encoder.layer." + i);
        }
        expected.addAll(List.of("bert.pooler", "cls.predictions"));
        assertEquals(expected, new ArrayList<>(g.keySet()));
        assertEquals(6, g.get("cls.predictions").size());
        assertEquals(16, g.get("bert.encoder.layer.10").size());
        // sentence-transformers MiniLM: no "bert." prefix
        assertEquals("encoder.layer.5", ParameterBlocks.groupOf("encoder.layer.5.attention.self.query.weight"));
        assertEquals("embeddings", ParameterBlocks.groupOf("embeddings.word_embeddings.weight"));
        assertEquals("pooler", ParameterBlocks.groupOf("pooler.dense.bias"));
    }

    @Test
    void gpt2AndLlama() {
        List<String> gpt2 = new ArrayList<>(List.of("transformer.wte.weight", "transformer.wpe.weight",
                "transformer.ln_f.weight", "transformer.ln_f.bias", "lm_head.weight"));
        gpt2.addAll(layers("transformer.h.", 12, "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias",
                "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
                "mlp.c_proj.weight", "mlp.c_proj.bias"));
        List<String> expected = new ArrayList<>(List.of("lm_head"));
        for (int i = 0; i < 12; i++) {
            expected.add("transformer.h." + i);
        }
        expected.addAll(List.of("transformer.ln_f", "transformer.wpe", "transformer.wte"));
        assertEquals(expected, new ArrayList<>(ParameterBlocks.of(gpt2).groups().keySet()));
        assertEquals("h.7", ParameterBlocks.groupOf("h.7.attn.c_attn.weight"));
        assertEquals("ln_f", ParameterBlocks.groupOf("ln_f.weight"));

        List<String> llama = new ArrayList<>(List.of("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"));
        llama.addAll(layers("model.layers.", 22, "input_layernorm.weight", "mlp.down_proj.weight",
                "mlp.gate_proj.weight", "mlp.up_proj.weight", "post_attention_layernorm.weight",
                "self_attn.k_proj.weight", "self_attn.k_proj.bias", "self_attn.o_proj.weight",
                "self_attn.q_proj.weight", "self_attn.v_proj.weight"));
        Map<String, List<String>> g = ParameterBlocks.of(llama).groups();
        List<String> keys = new ArrayList<>(g.keySet());
        assertEquals(List.of("lm_head", "model.embed_tokens", "model.layers.0", "model.layers.1", "model.layers.2"),
                keys.subList(0, 5));
        assertEquals(List.of("model.layers.9", "model.layers.10", "model.layers.11"), keys.subList(11, 14));
        assertEquals(List.of("model.layers.21", "model.norm"), keys.subList(keys.size() - 2, keys.size()));
        assertEquals(10, g.get("model.layers.21").size());
        assertEquals(21, ParameterBlocks.blockIndex("model.layers.21.mlp.up_proj.weight"));
    }

    @Test
    void openClip() {
        String[] block = {"ln_1.weight", "ln_1.bias", "attn.in_proj_weight", "attn.in_proj_bias", "attn.out_proj.weight",
                "attn.out_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight",
                "mlp.c_proj.bias"};
        List<String> names = new ArrayList<>(List.of("positional_embedding", "text_projection", "logit_scale",
                "token_embedding.weight", "ln_final.weight", "ln_final.bias", "visual.class_embedding",
                "visual.positional_embedding", "visual.proj", "visual.conv1.weight", "visual.ln_pre.weight",
                "visual.ln_pre.bias", "visual.ln_post.weight", "visual.ln_post.bias"));
        names.addAll(layers("transformer.resblocks.", 12, block));
        names.addAll(layers("visual.transformer.resblocks.", 12, block));
        Map<String, List<String>> g = ParameterBlocks.of(names).groups();
        assertEquals(12, g.get("visual.transformer.resblocks.11").size());
        assertEquals(12, g.get("transformer.resblocks.0").size());
        assertEquals(List.of("visual.ln_post.bias", "visual.ln_post.weight"), g.get("visual.ln_post"));
        assertEquals(List.of("visual.proj"), g.get("visual.proj"));
        assertEquals(List.of("token_embedding.weight"), g.get("token_embedding"));
        assertEquals(5 + 12 + 6 + 12, g.size());
    }

    @Test
    void tensorGranularityAndNaturalOrder() {
        List<String> names = List.of("model.layers.10.w", "model.layers.2.w", "model.layers.2.b");
        ParameterBlocks pt = ParameterBlocks.of(names, ParameterBlocks.Granularity.TENSOR);
        assertEquals(List.of("model.layers.2.b", "model.layers.2.w", "model.layers.10.w"), new ArrayList<>(pt.groups().keySet()));
        assertEquals("model.layers.2.w", pt.group("model.layers.2.w"));
        ParameterBlocks pb = ParameterBlocks.of(names);
        assertEquals(List.of("model.layers.2", "model.layers.10"), new ArrayList<>(pb.groups().keySet()));
        assertEquals(List.of("model.layers.2.b", "model.layers.2.w"), pb.groups().get("model.layers.2"));
        assertEquals(-1, Integer.signum(ParameterBlocks.naturalCompare("a9", "a10")));
        assertEquals(-1, Integer.signum(ParameterBlocks.naturalCompare("a.b", "a.c")));
    }
}
