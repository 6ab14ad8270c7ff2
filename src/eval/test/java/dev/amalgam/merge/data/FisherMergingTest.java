package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.model.WeightLookup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FisherMergingTest {
    private static final int N = 4;

    /**
     * The diagonal Fisher of one batch equals (∂/∂θ Σ_b Σ_c √p̂_bc log p_bc)² / N with the derivative taken
     * by central finite differences of the forward pass (p̂ held at θ), FusionBench's estimator in
     * fusion_bench/method/fisher_merging/clip_fisher_merging.py (commit 54c9e8c9d9621620c720452cd8533332a32d3689).
     */
    @Test
    void fisherEqualsTheSquaredFiniteDifferenceGradient() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), N, 0.05, n -> true);
             NDManager m = NDManager.newBaseManager()) {
            FisherMerging method = FisherMerging.fromParams(MethodParams.of("fisher_merging", "examples", N, "batch_size", N));
            method.bind(w.data());
            method.prepare(w.inputs());
            Map<String, NDArray> weights = load(w.models.get(0), m);
            NDArray pixels = w.data().tasks().get("a").batch(0, N, m).singletonOrThrow();
            double[][] pHat = softmax(logits(w, weights, pixels));
            Object[][] probes = {
                    {"visual_projection.weight", 7}, {"vision_model.encoder.layers.1.mlp.fc2.weight", 100},
                    {"vision_model.encoder.layers.0.layer_norm1.bias", 3}, {"vision_model.embeddings.class_embedding", 2},
                    {"vision_model.encoder.layers.0.self_attn.k_proj.weight", 33}};
            for (Object[] probe : probes) {
                String name = (String) probe[0];
                int i = (Integer) probe[1];
                double h = 1e-2;
                double up = objective(w, perturbed(weights, name, i, h, m), pixels, pHat);
                double down = objective(w, perturbed(weights, name, i, -h, m), pixels, pHat);
                double g = (up - down) / (2 * h);
                double expected = g * g / N;
                float got = method.fisher("a", name, m).toFloatArray()[i];
                assertEquals(expected, got, 1e-6 + 0.05 * expected, name + "[" + i + "] (gradient " + g + ")");
            }
        }
    }

    /**
     * The merged tensor against a transcription of FusionBench's merging_with_fisher_weights (same file
     * tree, fisher_merging.py, same commit): F_t + ε, scaling 1/T times the normalised inverse of each
     * task's global Fisher L2 norm, Σ c_t F_t θ_t / Σ c_t F_t.
     */
    @Test
    void mergeMatchesTheFusionBenchTranscription() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b", "c"), N, 0.05, n -> true);
             NDManager m = NDManager.newBaseManager()) {
            FisherMerging method = FisherMerging.fromParams(MethodParams.of("fisher_merging", "examples", N, "batch_size", 2));
            method.bind(w.data());
            Map<String, float[]> merged = w.merge(method, w.inputs());
            method.bind(w.data()); // the merge closed its data
            method.prepare(w.inputs()); // deterministic: the same statistics again, kept for reading
            double eps = 1e-6;
            double[] norm = new double[3];
            for (String n : w.base.names()) {
                for (int t = 0; t < 3; t++) {
                    NDArray f = method.fisher(w.tasks.get(t), n, m);
                    if (f != null) {
                        for (float v : f.toFloatArray()) {
                            norm[t] += (double) v * v;
                        }
                    }
                }
            }
            double[] inv = new double[3];
            double invSum = 0;
            for (int t = 0; t < 3; t++) {
                inv[t] = 1.0 / (Math.sqrt(norm[t]) + eps);
                invSum += inv[t];
            }
            for (String name : List.of("vision_model.encoder.layers.0.mlp.fc1.weight", "vision_model.post_layernorm.weight")) {
                List<float[]> f = new ArrayList<>();
                List<float[]> theta = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    NDArray ft = method.fisher(w.tasks.get(t), name, m);
                    assertNotNull(ft, name);
                    f.add(ft.toFloatArray());
                    theta.add(TinyClipTasks.values(w.models.get(t), name));
                }
                float[] got = merged.get(name);
                for (int i = 0; i < got.length; i++) {
                    double num = 0;
                    double den = 0;
                    for (int t = 0; t < 3; t++) {
                        double c = (1.0 / 3) * inv[t] / invSum;
                        num += c * (f.get(t)[i] + eps) * theta.get(t)[i];
                        den += c * (f.get(t)[i] + eps);
                    }
                    assertEquals(num / den, got[i], 1e-5, name + "[" + i + "]");
                }
            }
            float[] a = TinyClipTasks.values(w.models.get(0), "text_model.final_layer_norm.weight");
            float[] b = TinyClipTasks.values(w.models.get(1), "text_model.final_layer_norm.weight");
            float[] c = TinyClipTasks.values(w.models.get(2), "text_model.final_layer_norm.weight");
            for (int i = 0; i < a.length; i++) {
                assertEquals((a[i] + b[i] + c[i]) / 3, merged.get("text_model.final_layer_norm.weight")[i], 1e-6,
                        "a tensor the forward never reads is averaged");
            }
        }
    }

    static Map<String, NDArray> load(InMemoryTensorSource src, NDManager m) {
        Map<String, NDArray> out = new HashMap<>();
        for (String n : src.names()) {
            out.put(n, m.create(TinyClipTasks.values(src, n), new ai.djl.ndarray.types.Shape(src.info(n).shape())));
        }
        return out;
    }

    static Map<String, NDArray> perturbed(Map<String, NDArray> weights, String name, int i, double h, NDManager m) {
        Map<String, NDArray> copy = new HashMap<>(weights);
        float[] v = weights.get(name).toFloatArray();
        v[i] += (float) h;
        copy.put(name, m.create(v, weights.get(name).getShape()));
        return copy;
    }

    static double[][] logits(TinyClipTasks w, Map<String, NDArray> weights, NDArray pixels) {
        return logits(w, weights, pixels, "a");
    }

    static double[][] logits(TinyClipTasks w, Map<String, NDArray> weights, NDArray pixels, String task) {
        WeightLookup lookup = weights::get;
        try (NDManager s = pixels.getManager().newSubManager()) {
            NDArray l = w.model().logits(lookup, task, new ai.djl.ndarray.NDList(pixels));
            l.attach(s);
            float[] f = l.toFloatArray();
            int c = (int) l.getShape().get(1);
            double[][] out = new double[f.length / c][c];
            for (int i = 0; i < f.length; i++) {
                out[i / c][i % c] = f[i];
            }
            return out;
        }
    }

    static double[][] softmax(double[][] logits) {
        double[][] p = new double[logits.length][];
        for (int b = 0; b < logits.length; b++) {
            double max = java.util.Arrays.stream(logits[b]).max().orElseThrow();
            double sum = 0;
            p[b] = new double[logits[b].length];
            for (int c = 0; c < p[b].length; c++) {
                p[b][c] = Math.exp(logits[b][c] - max);
                sum += p[b][c];
            }
            for (int c = 0; c < p[b].length; c++) {
                p[b][c] /= sum;
            }
        }
        return p;
    }

    /** Σ_b Σ_c √p̂_bc · log p_bc(θ). */
    private static double objective(TinyClipTasks w, Map<String, NDArray> weights, NDArray pixels, double[][] pHat) {
        double[][] p = softmax(logits(w, weights, pixels));
        double s = 0;
        for (int b = 0; b < p.length; b++) {
            for (int c = 0; c < p[b].length; c++) {
                s += Math.sqrt(pHat[b][c]) * Math.log(p[b][c]);
            }
        }
        assertTrue(Double.isFinite(s));
        return s;
    }
}
