package dev.amalgam.merge.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.merge.InMemorySink;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.model.LinearInputs;
import dev.amalgam.model.WeightLookup;
import dev.amalgam.io.ParameterBlocks;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-aware merges on decoder LMs (docs/methods/data-aware.md, decoders) on the tiny random GPT-2
 * and Llama fixtures. The references run every example alone (no padding) through the model, so they
 * also check that the padded batches of the merge drop exactly the padding.
 */
class DecoderDataAwareTest {
    static final Path GPT2 = Path.of("src/testdata/fixtures/gpt2/tiny");
    static final Path LLAMA = Path.of("src/testdata/fixtures/llama/llama");
    static final int N = 16;

    static Map<String, float[]> merge(MergeMethod method, MergeInputs in) {
        InMemorySink sink = new InMemorySink();
        new StreamingExecutor(Device.cpu(), ParameterBlocks::groupOf, true, StreamingExecutor.Progress.NONE).run(method, in, sink);
        return sink.merged();
    }

    static float[] average(TinyDecoderTasks w, String name) {
        float[] sum = new float[TinyClipTasks.values(w.models.get(0), name).length];
        for (var s : w.models) {
            float[] v = TinyClipTasks.values(s, name);
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i] / w.models.size();
            }
        }
        return sum;
    }

    /** Every tensor of a source as an array, handed out by reference (the tap identifies weights by reference). */
    static Map<String, NDArray> load(dev.amalgam.io.TensorSource s, NDManager m) {
        Map<String, NDArray> out = new HashMap<>();
        for (String n : s.names()) {
            out.put(n, dev.amalgam.tensor.TensorBridge.toF32(m, s, n));
        }
        return out;
    }

    /** Mean Gram matrix (double) of the inputs of {@code weight}, every example run alone. */
    static double[][] gram(TinyDecoderTasks w, int task, String weight, NDManager m) {
        Map<String, NDArray> arrays = load(w.models.get(task), m);
        WeightLookup lookup = arrays::get;
        NDArray target = arrays.get(weight);
        long[] rows = {0};
        double[][][] holder = {null};
        LinearInputs.Observer obs = new LinearInputs.Observer() {
            public void observe(NDArray wt, NDArray x) {
                add(wt, x);
            }

            public void observeInOut(NDArray wt, NDArray x) {
                add(wt, x);
            }

            private void add(NDArray wt, NDArray x) {
                if (wt != target) {
                    return;
                }
                int in = (int) x.getShape().get(x.getShape().dimension() - 1);
                float[] v = x.toFloatArray();
                if (holder[0] == null) {
                    holder[0] = new double[in][in];
                }
                for (int r = 0; r < v.length / in; r++) {
                    for (int i = 0; i < in; i++) {
                        for (int j = 0; j < in; j++) {
                            holder[0][i][j] += (double) v[r * in + i] * v[r * in + j];
                        }
                    }
                    rows[0]++;
                }
            }
        };
        try (LinearInputs.Installed tap = LinearInputs.install(obs)) {
            for (long[] s : w.sequences.get(w.tasks.get(task))) {
                try (NDManager em = m.newSubManager()) {
                    w.architecture.logits(lookup, em.create(s).reshape(1, s.length), null);
                }
            }
        }
        double[][] g = holder[0];
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= rows[0];
            }
        }
        return g;
    }

    /**
     * RegMean's merged W solves the normal equations Σ_t G'_t (W − W_t) = 0 (G'_t: off-diagonals × α),
     * with G_t built here from every example run alone, in double precision; weights in the
     * [in, out] view (Conv1D as stored, nn.Linear transposed).
     */
    static void assertNormalEquations(TinyDecoderTasks w, Map<String, float[]> merged, String weight, boolean conv1d,
                                      double alpha, NDManager m) {
        long[] shape = w.base.info(weight).shape();
        int in = (int) (conv1d ? shape[0] : shape[1]);
        int out = (int) (conv1d ? shape[1] : shape[0]);
        double[][] residual = new double[in][out];
        double scale = 0;
        for (int t = 0; t < w.tasks.size(); t++) {
            double[][] g = gram(w, t, weight, m);
            float[] wt = TinyClipTasks.values(w.models.get(t), weight);
            float[] wm = merged.get(weight);
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    double s = 0;
                    double a = 0;
                    for (int k = 0; k < in; k++) {
                        double gik = (i == k ? 1 : alpha) * g[i][k];
                        int idx = conv1d ? k * out + o : o * in + k;
                        s += gik * (wm[idx] - wt[idx]);
                        a += Math.abs(gik * wt[idx]);
                    }
                    residual[i][o] += s;
                    scale = Math.max(scale, a);
                }
            }
        }
        double worst = 0;
        for (double[] row : residual) {
            for (double v : row) {
                worst = Math.max(worst, Math.abs(v));
            }
        }
        assertTrue(worst < 2e-4 * scale, weight + ": max |Σ G'(W − W_t)| = " + worst + " (scale " + scale + ")");
    }

    @Test
    void regmeanOnLlamaSolvesTheNormalEquationsOfPerExampleGramMatrices() {
        try (TinyDecoderTasks w = new TinyDecoderTasks(LLAMA, List.of("a", "b"), N, 0.05, n -> true);
             NDManager m = NDManager.newBaseManager()) {
            RegMean method = RegMean.fromParams(MethodParams.of("regmean", "examples", N, "batch_size", 5));
            method.bind(w.data());
            Map<String, float[]> merged = merge(method, w.inputs());
            for (String n : List.of("model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight",
                    "model.layers.1.self_attn.o_proj.weight", "lm_head.weight")) {
                assertNormalEquations(w, merged, n, false, 0.95, m);
            }
            assertArrayClose(average(w, "model.embed_tokens.weight"), merged.get("model.embed_tokens.weight"), "embedding");
        }
    }

    @Test
    void regmeanOnGpt2SolvesConv1dWeightsWithoutTheTransposeAndAveragesTheTiedEmbedding() {
        try (TinyDecoderTasks w = new TinyDecoderTasks(GPT2, List.of("a", "b"), N, 0.05, n -> true);
             NDManager m = NDManager.newBaseManager()) {
            RegMean method = RegMean.fromParams(MethodParams.of("regmean", "examples", N, "batch_size", 5));
            method.bind(w.data());
            Map<String, float[]> merged = merge(method, w.inputs());
            for (String n : List.of("transformer.h.0.attn.c_attn.weight", "transformer.h.1.attn.c_proj.weight",
                    "transformer.h.1.mlp.c_proj.weight")) {
                assertNormalEquations(w, merged, n, true, 0.95, m);
            }
            assertArrayClose(average(w, "transformer.wte.weight"), merged.get("transformer.wte.weight"), "tied wte");
        }
    }

    /** Hand check: on the same data, fine-tunes that differ only in the last MLP output projection give every layer the same inputs. */
    @Test
    void identicalGramMatricesGiveTheAverageOnBothDecoders() {
        for (Path fixture : List.of(LLAMA, GPT2)) {
            // 2N sequences of 3-10 tokens: more rows than GPT-2's 128 MLP inputs
            try (TinyDecoderTasks w = new TinyDecoderTasks(fixture, List.of("a", "b", "c"), 2 * N, 0.05,
                    n -> n.contains(".1.mlp.down_proj.") || n.contains(".1.mlp.c_proj."))) {
                w.tasks.forEach(t -> w.sequences.put(t, w.sequences.get("a"))); // the same data for every task
                // α = 0.5 keeps the float32 inverse well conditioned; the hand check holds for any α
                RegMean method = RegMean.fromParams(MethodParams.of("regmean", "examples", 2 * N, "batch_size", 8, "alpha", 0.5));
                method.bind(w.data());
                Map<String, float[]> merged = merge(method, w.inputs());
                for (String n : w.base.names()) {
                    assertArrayClose(average(w, n), merged.get(n), fixture.getFileName() + " " + n);
                }
            }
        }
    }

    /** RegMean++ on GPT-2 (layers named transformer.h.N): with the embeddings unchanged, layer 0's inputs are RegMean's. */
    @Test
    void regmeanPlusPlusOnGpt2MatchesRegMeanInLayerZeroWhenTheEmbeddingsAreShared() {
        try (TinyDecoderTasks w = new TinyDecoderTasks(GPT2, List.of("a", "b"), 8, 0.05, n -> !n.contains("wte") && !n.contains("wpe"))) {
            RegMean plain = RegMean.fromParams(MethodParams.of("regmean", "examples", 8, "batch_size", 3));
            plain.bind(w.data());
            Map<String, float[]> a = merge(plain, w.inputs());
            RegMeanPlusPlus pp = RegMeanPlusPlus.fromParams(MethodParams.of("regmean_plusplus", "examples", 8, "batch_size", 3));
            pp.bind(w.data());
            Map<String, float[]> b = merge(pp, w.inputs());
            assertArrayClose(a.get("transformer.h.0.attn.c_attn.weight"), b.get("transformer.h.0.attn.c_attn.weight"), "layer 0");
            float[] x = a.get("transformer.h.1.mlp.c_fc.weight");
            float[] y = b.get("transformer.h.1.mlp.c_fc.weight");
            double diff = 0;
            for (int i = 0; i < x.length; i++) {
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
            }
            assertTrue(diff > 1e-5, "layer 1 sees the merged layer 0 in RegMean++: max |d| = " + diff);
        }
    }

    /**
     * Fisher of the LM's own next-token distributions: one padded batch of N sequences against
     * (∂/∂θ Σ_sequences Σ_tokens Σ_v √p̂_v log p_v)² / N, the derivative by central finite differences
     * of the per-sequence forward passes (p̂ held at θ) — FusionBench's estimator
     * (fusion_bench/method/fisher_merging/gpt2_fisher_merging.py, commit 08f8abd636b54ffcbce43c95c9c06f6f7671835f)
     * with the next-token positions as the rows.
     */
    @Test
    void fisherOnLlamaEqualsTheSquaredFiniteDifferenceGradient() {
        int n = 4;
        try (TinyDecoderTasks w = new TinyDecoderTasks(LLAMA, List.of("a", "b"), n, 0.05, x -> true);
             NDManager m = NDManager.newBaseManager()) {
            FisherMerging method = FisherMerging.fromParams(MethodParams.of("fisher_merging", "examples", n, "batch_size", n));
            method.bind(w.data());
            method.prepare(w.inputs());
            Map<String, NDArray> weights = load(w.models.get(0), m);
            List<double[][]> pHat = new java.util.ArrayList<>();
            for (long[] s : w.sequences.get("a")) {
                pHat.add(softmax(logits(w, weights, s, m)));
            }
            Object[][] probes = {{"lm_head.weight", 17}, {"model.layers.1.mlp.down_proj.weight", 40},
                    {"model.layers.0.input_layernorm.weight", 3}, {"model.embed_tokens.weight", 70},
                    {"model.layers.0.self_attn.k_proj.weight", 9}};
            for (Object[] probe : probes) {
                String name = (String) probe[0];
                int i = (Integer) probe[1];
                double h = 3e-2;
                double g = (objective(w, perturbed(weights, name, i, h, m), pHat, m)
                        - objective(w, perturbed(weights, name, i, -h, m), pHat, m)) / (2 * h);
                double expected = g * g / n;
                float got = method.fisher("a", name, m).toFloatArray()[i];
                assertEquals(expected, got, 1e-7 + 0.05 * expected, name + "[" + i + "] (gradient " + g + ")");
            }
            method.release();
        }
    }

    /** AdaMerging's objective on a decoder: the mean next-token entropy over every real token of the batch. */
    @Test
    void adaMergingEntropyIsTheMeanOverRealTokens() {
        try (TinyDecoderTasks w = new TinyDecoderTasks(GPT2, List.of("a"), 5, 0.05, x -> true);
             NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = load(w.models.get(0), m);
            List<long[]> seqs = w.sequences.get("a");
            double sum = 0;
            int tokens = 0;
            for (long[] s : seqs) {
                for (double[] p : softmax(logits(w, weights, s, m))) {
                    double e = 0;
                    for (double v : p) {
                        e -= v * Math.log(v + 1e-8);
                    }
                    sum += e;
                    tokens++;
                }
            }
            NDList batch = TinyDecoderTasks.padded(seqs, 0, seqs.size(), m);
            float got = AdaMerging.entropy(w.data().model().logits(weights::get, "a", batch)).getFloat();
            assertEquals(sum / tokens, got, 1e-4);
        }
    }

    /** Hand check: with steps 0 AdaMerging is Task Arithmetic with λ = 0.3, on a decoder too. */
    @Test
    void adaMergingWithFrozenCoefficientsIsTaskArithmeticOnLlama() {
        try (TinyDecoderTasks w = new TinyDecoderTasks(LLAMA, List.of("a", "b"), 4, 0.05, x -> true)) {
            AdaMerging method = AdaMerging.fromParams(MethodParams.of("adamerging", "steps", 0, "batch_size", 2));
            method.bind(w.data());
            Map<String, float[]> merged = merge(method, w.inputs());
            for (String n : w.base.names()) {
                float[] b = TinyClipTasks.values(w.base, n);
                float[] a = TinyClipTasks.values(w.models.get(0), n);
                float[] c = TinyClipTasks.values(w.models.get(1), n);
                float[] ta = new float[b.length];
                for (int i = 0; i < b.length; i++) {
                    ta[i] = b[i] + 0.3f * (a[i] - b[i]) + 0.3f * (c[i] - b[i]);
                }
                assertArrayClose(ta, merged.get(n), n);
            }
        }
    }

    @Test
    void adaMergingStepsOnGpt2MoveTheCoefficients() {
        try (TinyDecoderTasks w = new TinyDecoderTasks(GPT2, List.of("a", "b"), 4, 0.2, x -> true)) {
            AdaMerging method = AdaMerging.fromParams(MethodParams.of("adamerging", "steps", 2, "batch_size", 2,
                    "granularity", "task", "lr", 0.01));
            method.bind(w.data());
            method.prepare(w.inputs());
            double l = method.lambda(0, "transformer.h.0.attn.c_attn.weight");
            assertTrue(Math.abs(l - 0.3) > 1e-3, "λ moved from 0.3: " + l);
        }
    }

    static double[][] logits(TinyDecoderTasks w, Map<String, NDArray> weights, long[] s, NDManager m) {
        try (NDManager em = m.newSubManager()) {
            float[] v = w.architecture.logits(weights::get, em.create(s).reshape(1, s.length), null).toFloatArray();
            int vocab = v.length / s.length;
            double[][] out = new double[s.length][vocab];
            for (int t = 0; t < s.length; t++) {
                for (int c = 0; c < vocab; c++) {
                    out[t][c] = v[t * vocab + c];
                }
            }
            return out;
        }
    }

    static double[][] softmax(double[][] logits) {
        double[][] p = new double[logits.length][];
        for (int r = 0; r < logits.length; r++) {
            double max = java.util.Arrays.stream(logits[r]).max().orElse(0);
            double z = 0;
            p[r] = new double[logits[r].length];
            for (int c = 0; c < p[r].length; c++) {
                p[r][c] = Math.exp(logits[r][c] - max);
                z += p[r][c];
            }
            for (int c = 0; c < p[r].length; c++) {
                p[r][c] /= z;
            }
        }
        return p;
    }

    /** Σ_sequences Σ_tokens Σ_v √p̂ · log p, every sequence run alone. */
    static double objective(TinyDecoderTasks w, Map<String, NDArray> weights, List<double[][]> pHat, NDManager m) {
        double total = 0;
        List<long[]> seqs = w.sequences.get("a");
        for (int e = 0; e < seqs.size(); e++) {
            double[][] z = logits(w, weights, seqs.get(e), m);
            for (int r = 0; r < z.length; r++) {
                double max = java.util.Arrays.stream(z[r]).max().orElse(0);
                double lse = 0;
                for (double v : z[r]) {
                    lse += Math.exp(v - max);
                }
                lse = max + Math.log(lse);
                for (int c = 0; c < z[r].length; c++) {
                    total += Math.sqrt(pHat.get(e)[r][c]) * (z[r][c] - lse);
                }
            }
        }
        return total;
    }

    static Map<String, NDArray> perturbed(Map<String, NDArray> weights, String name, int i, double h, NDManager m) {
        Map<String, NDArray> out = new HashMap<>(weights);
        float[] v = weights.get(name).toFloatArray();
        v[i] += (float) h;
        out.put(name, m.create(v, weights.get(name).getShape()));
        return out;
    }

    static void assertArrayClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-5 + 1e-4 * Math.abs(expected[i]), what + "[" + i + "]");
        }
    }
}
