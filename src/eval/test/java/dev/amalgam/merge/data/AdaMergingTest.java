package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.TaskArithmetic;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdaMergingTest {
    private static final int N = 4;
    private static final double LR = 0.01;

    /** Hand-checkable: with the coefficients frozen at λ₀ = 0.3 AdaMerging is Task Arithmetic with λ = 0.3. */
    @Test
    void frozenCoefficientsGiveTaskArithmetic() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), N, 0.05, n -> true)) {
            Map<String, float[]> ta = w.merge(new TaskArithmetic(0.3, new double[] {1, 1}), w.inputs());
            for (String g : List.of("task", "layer")) {
                AdaMerging ada = AdaMerging.fromParams(MethodParams.of("adamerging", "granularity", g, "steps", 0));
                ada.bind(w.data());
                Map<String, float[]> merged = w.merge(ada, w.inputs());
                assertEquals(ta.keySet(), merged.keySet());
                for (String n : ta.keySet()) {
                    for (int i = 0; i < ta.get(n).length; i++) {
                        assertEquals(ta.get(n)[i], merged.get(n)[i], 1e-6, g + ": " + n + "[" + i + "]");
                    }
                }
            }
        }
    }

    /** FusionBench's entropy_loss (fusion_bench/method/adamerging/entropy_loss.py, commit 54c9e8c9d9621620c720452cd8533332a32d3689). */
    @Test
    void entropyMatchesTheFusionBenchTranscription() {
        float[] logits = {2.0f, -1.0f, 0.5f, 0.0f, 0.0f, 0.0f, 10f, -3f, 1f};
        double expected = 0;
        for (int b = 0; b < 3; b++) {
            double[] p = FisherMergingTest.softmax(new double[][] {{logits[3 * b], logits[3 * b + 1], logits[3 * b + 2]}})[0];
            for (double v : p) {
                expected -= v * Math.log(v + 1e-8);
            }
        }
        expected /= 3;
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(expected, AdaMerging.entropy(m.create(logits, new Shape(3, 3))).getFloat(), 1e-6);
        }
    }

    /**
     * One Adam step from λ₀ moves each coefficient by −lr·sign(∂E/∂λ) (Adam's first step is the sign of
     * the gradient), where E = Σ_tasks entropy of the merged model θ_0 + Σ λ_t τ_t is differentiated here by
     * central finite differences of the forward pass: task-wise, and for two tensors' layer-wise λ.
     */
    @Test
    void oneStepFollowsTheFiniteDifferenceGradientOfTheEntropy() {
        try (TinyClipTasks w = new TinyClipTasks(List.of("a", "b"), N, 0.2, n -> true);
             NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> base = FisherMergingTest.load(w.base0(), m);
            List<Map<String, NDArray>> tv = List.of(vector(FisherMergingTest.load(w.models.get(0), m), base),
                    vector(FisherMergingTest.load(w.models.get(1), m), base));
            AdaMerging task = AdaMerging.fromParams(MethodParams.of("adamerging", "granularity", "task", "steps", 1, "lr", LR,
                    "batch_size", N));
            task.bind(w.data());
            task.prepare(w.inputs());
            for (int t = 0; t < 2; t++) {
                int tt = t;
                double g = derivative(w, base, tv, h -> lambdas(0.3 + (tt == 0 ? h : 0), 0.3 + (tt == 1 ? h : 0), null, -1), m);
                assertTrue(Math.abs(g) > 1e-4, "gradient too small to show a sign: " + g);
                assertEquals(0.3 - LR * Math.signum(g), task.lambda(t, "visual_projection.weight"), 1e-6, "task " + t);
            }
            AdaMerging layer = AdaMerging.fromParams(MethodParams.of("adamerging", "steps", 1, "lr", LR, "batch_size", N));
            layer.bind(w.data());
            layer.prepare(w.inputs());
            for (String name : List.of("visual_projection.weight", "vision_model.encoder.layers.0.mlp.fc1.weight")) {
                double g = derivative(w, base, tv, h -> lambdas(0.3, 0.3, name, h), m);
                assertTrue(Math.abs(g) > 1e-5, name + ": gradient too small to show a sign: " + g);
                assertEquals(0.3 - LR * Math.signum(g), layer.lambda(0, name), 1e-6, name);
                assertEquals(0.3, layer.lambda(0, "text_model.final_layer_norm.weight"), 0, "unread tensors keep λ₀");
            }
        }
    }

    /** λ per task for every tensor: {a, b}, or λ₀ with task a's λ of {@code name} moved by h. */
    private static java.util.function.BiFunction<Integer, String, Double> lambdas(double a, double b, String name, double h) {
        return (t, n) -> t == 0 ? (n.equals(name) ? 0.3 + h : a) : b;
    }

    private static double derivative(TinyClipTasks w, Map<String, NDArray> base, List<Map<String, NDArray>> tv,
                                     java.util.function.DoubleFunction<java.util.function.BiFunction<Integer, String, Double>> at,
                                     NDManager m) {
        double h = 1e-3;
        return (entropy(w, merged(base, tv, at.apply(h), m)) - entropy(w, merged(base, tv, at.apply(-h), m))) / (2 * h);
    }

    private static Map<String, NDArray> vector(Map<String, NDArray> ft, Map<String, NDArray> base) {
        Map<String, NDArray> out = new HashMap<>();
        ft.forEach((n, a) -> out.put(n, a.sub(base.get(n))));
        return out;
    }

    private static Map<String, NDArray> merged(Map<String, NDArray> base, List<Map<String, NDArray>> tv,
                                               java.util.function.BiFunction<Integer, String, Double> lambda, NDManager m) {
        Map<String, NDArray> out = new HashMap<>();
        base.forEach((n, b) -> {
            NDArray x = b.duplicate();
            for (int t = 0; t < tv.size(); t++) {
                x.addi(tv.get(t).get(n).mul(lambda.apply(t, n).floatValue()));
            }
            out.put(n, x);
        });
        return out;
    }

    /** Σ over the tasks of FusionBench's entropy_loss of the merged model's logits on the task's N images. */
    private static double entropy(TinyClipTasks w, Map<String, NDArray> weights) {
        double total = 0;
        for (String task : w.tasks) {
            try (NDManager s = NDManager.newBaseManager()) {
                NDArray px = w.data().tasks().get(task).batch(0, N, s).singletonOrThrow();
                double[][] p = FisherMergingTest.softmax(FisherMergingTest.logits(w, weights, px, task));
                double e = 0;
                for (double[] row : p) {
                    for (double v : row) {
                        e -= v * Math.log(v + 1e-8);
                    }
                }
                total += e / p.length;
            }
        }
        return total;
    }
}
