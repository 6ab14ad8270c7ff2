package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.MethodParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegMeanTest {
    private static final String Q = "vision_model.encoder.layers.0.self_attn.q_proj.weight";
    private static final String V = "vision_model.encoder.layers.0.self_attn.v_proj.weight";

    /** Hand-checkable: with G_t = G for every task, (T·G)⁻¹ Σ_t G W_tᵀ = mean of the W_t. */
    @Test
    void identicalGramMatricesGiveTheWeightAverage() {
        Random r = new Random(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(20, 5));
            NDArray g = x.transpose().matMul(x).div(20f);
            List<NDArray> w = List.of(m.randomNormal(new Shape(4, 5)), m.randomNormal(new Shape(4, 5)), m.randomNormal(new Shape(4, 5)));
            float[] merged = RegMeanSolve.merge(w, List.of(g, g, g), 0.95 * r.nextDouble()).toFloatArray();
            float[] mean = w.get(0).add(w.get(1)).add(w.get(2)).div(3f).toFloatArray();
            for (int i = 0; i < mean.length; i++) {
                assertEquals(mean[i], merged[i], 1e-4, "entry " + i);
            }
        }
    }

    @Test
    void closedFormMatchesTheFusionBenchTranscription() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDArray> w = new ArrayList<>();
            List<NDArray> g = new ArrayList<>();
            List<double[][]> rw = new ArrayList<>();
            List<double[][]> rg = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                NDArray wt = m.randomNormal(new Shape(4, 6));
                NDArray x = m.randomNormal(new Shape(15, 6)).mul(t + 1);
                NDArray gt = x.transpose().matMul(x).div(15f);
                w.add(wt);
                g.add(gt);
                rw.add(RegMeanReference.matrix(wt.toFloatArray(), 4, 6));
                rg.add(RegMeanReference.matrix(gt.toFloatArray(), 6, 6));
            }
            float[] merged = RegMeanSolve.merge(w, g, 0.95).toFloatArray();
            double[][] ref = RegMeanReference.merge(rw, rg, 0.95);
            for (int o = 0; o < 4; o++) {
                for (int i = 0; i < 6; i++) {
                    assertEquals(ref[o][i], merged[o * 6 + i], 1e-4 * (1 + Math.abs(ref[o][i])), "[" + o + "," + i + "]");
                }
            }
        }
    }

    /**
     * End to end on the tiny CLIP: the data pass's Gram matrices of layer 0's q/v projections (every
     * token of every image, batches of 3 over 8 images) give the merge that the FusionBench transcription
     * gives from Gram matrices of an independent double-precision embedding + layer-norm computation.
     */
    @Test
    void firstLayerProjectionsMatchTheReferenceFromIndependentInputs() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), 8, 0.05, n -> true)) {
            RegMean method = RegMean.fromParams(MethodParams.of("regmean", "examples", 8, "batch_size", 3));
            method.bind(w.data());
            Map<String, float[]> merged = w.merge(method, w.inputs());
            List<double[][]> grams = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                grams.add(RegMeanReference.gram(ClipLayerZeroInputs.rows(w.models.get(t), w.pixels.get(w.tasks.get(t)), 8,
                        TinyClipTasks.SIDE, 8, 32, 1e-5)));
            }
            for (String name : List.of(Q, V)) {
                List<double[][]> weights = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    weights.add(RegMeanReference.matrix(TinyClipTasks.values(w.models.get(t), name), 32, 32));
                }
                double[][] ref = RegMeanReference.merge(weights, grams, 0.95);
                float[] got = merged.get(name);
                double worst = 0;
                for (int o = 0; o < 32; o++) {
                    for (int i = 0; i < 32; i++) {
                        worst = Math.max(worst, Math.abs(ref[o][i] - got[o * 32 + i]));
                    }
                }
                assertTrue(worst < 2e-3, name + ": max |Δ| " + worst);
            }
        }
    }

    /** Tensors that are not linear weights (norms, biases, embeddings) are the plain average of the fine-tunes. */
    @Test
    void otherTensorsAreTheAverage() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), 4, 0.05, n -> true)) {
            RegMean method = RegMean.fromParams(MethodParams.of("regmean", "examples", 4));
            method.bind(w.data());
            Map<String, float[]> merged = w.merge(method, w.inputs());
            for (String n : List.of("vision_model.encoder.layers.1.layer_norm1.weight",
                    "vision_model.encoder.layers.0.self_attn.q_proj.bias", "vision_model.embeddings.patch_embedding.weight",
                    "text_model.encoder.layers.0.mlp.fc1.weight")) {
                float[] a = TinyClipTasks.values(w.models.get(0), n);
                float[] b = TinyClipTasks.values(w.models.get(1), n);
                for (int i = 0; i < a.length; i++) {
                    assertEquals((a[i] + b[i]) / 2, merged.get(n)[i], 1e-6, n + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void aTaskWithoutDataIsRefusedWithOneLine() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), 4, 0.05, n -> true)) {
            RegMean method = RegMean.fromParams(MethodParams.of("regmean"));
            MergeData d = w.data();
            method.bind(new MergeData(d.model(), Map.of("a", d.tasks().get("a")), "test images"));
            AmalgamException e = assertThrows(AmalgamException.class, () -> w.merge(method, w.inputs()));
            assertTrue(e.getMessage().startsWith("regmean: no data for task 'b' in test images"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    @Test
    void withoutBoundDataTheMergeNamesTheRecipeKey() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), 4, 0.05, n -> true)) {
            AmalgamException e = assertThrows(AmalgamException.class,
                    () -> w.merge(RegMean.fromParams(MethodParams.of("regmean")), w.inputs()));
            assertTrue(e.getMessage().contains("'data:' key"), e.getMessage());
        }
    }
}
