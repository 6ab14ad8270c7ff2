package dev.amalgam.merge.data;

import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.merge.MethodParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RegMean++ against its definition (FusionBench fusion_bench/method/regmean_plusplus/regmean_plusplus.py and
 * clip_regmean_plusplus.py, commit 54c9e8c9d9621620c720452cd8533332a32d3689): layer l's Gram matrices are
 * the inputs task t's layer l receives from the merged embeddings and merged layers 0 … l−1. Plain RegMean
 * over explicit hybrid checkpoints H_t (non-layer tensors and layers before l from the RegMean++ output,
 * layer l from fine-tune t) must then give RegMean++'s layer l.
 */
class RegMeanPlusPlusTest {
    private static final List<String> LINEARS = List.of("self_attn.q_proj.weight", "self_attn.out_proj.weight",
            "mlp.fc1.weight", "mlp.fc2.weight");

    @Test
    void eachLayerIsRegMeanOnInputsFromTheMergedPrefix() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), 6, 0.05, n -> true)) {
            RegMeanPlusPlus pp = RegMeanPlusPlus.fromParams(MethodParams.of("regmean_plusplus", "examples", 6, "batch_size", 4));
            pp.bind(w.data());
            Map<String, float[]> merged = w.merge(pp, w.inputs());
            double worstGap = 0;
            for (int layer = 0; layer < 2; layer++) {
                List<InMemoryTensorSource> hybrid = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    InMemoryTensorSource h = new InMemoryTensorSource("hybrid " + t);
                    for (String n : w.base.names()) {
                        int l = LayerIndex.of(n);
                        boolean own = n.startsWith("vision_model.") && l == layer;
                        h.f32(n, w.base.info(n).shape(), own ? TinyClipTasks.values(w.models.get(t), n)
                                : merged.getOrDefault(n, TinyClipTasks.values(w.base, n)));
                    }
                    hybrid.add(h);
                }
                RegMean plain = RegMean.fromParams(MethodParams.of("regmean", "examples", 6, "batch_size", 4));
                plain.bind(w.data());
                Map<String, float[]> ref = w.merge(plain, w.inputs(hybrid));
                for (String suffix : LINEARS) {
                    String n = "vision_model.encoder.layers." + layer + "." + suffix;
                    float[] a = merged.get(n);
                    float[] b = ref.get(n);
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(b[i], a[i], 2e-4, n + "[" + i + "]");
                    }
                }
                if (layer == 1) {
                    // the merged prefix matters: plain RegMean on the fine-tunes themselves gives another layer 1
                    RegMean onFineTunes = RegMean.fromParams(MethodParams.of("regmean", "examples", 6, "batch_size", 4));
                    onFineTunes.bind(w.data());
                    float[] other = w.merge(onFineTunes, w.inputs()).get("vision_model.encoder.layers.1.mlp.fc2.weight");
                    float[] mine = merged.get("vision_model.encoder.layers.1.mlp.fc2.weight");
                    for (int i = 0; i < mine.length; i++) {
                        worstGap = Math.max(worstGap, Math.abs(mine[i] - other[i]));
                    }
                }
            }
            assertTrue(worstGap > 1e-4, "RegMean++ should differ from RegMean in layer 1: " + worstGap);
            float[] a = TinyClipTasks.values(w.models.get(0), "vision_model.pre_layrnorm.weight");
            float[] b = TinyClipTasks.values(w.models.get(1), "vision_model.pre_layrnorm.weight");
            for (int i = 0; i < a.length; i++) {
                assertEquals((a[i] + b[i]) / 2, merged.get("vision_model.pre_layrnorm.weight")[i], 1e-6);
            }
        }
    }
}
