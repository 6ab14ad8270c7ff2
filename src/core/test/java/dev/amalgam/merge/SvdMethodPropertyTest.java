package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the SVD methods checked against plain-Java double arithmetic. */
class SvdMethodPropertyTest {
    static final String P = "vision_model.encoder.layers.0.";
    static final String FC1 = P + "mlp.fc1.weight";
    static final String LN = P + "layer_norm1.weight";

    static InMemoryMergeDriver.Values random(Random r, int tasks, double scale, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] base = new float[n];
        for (int i = 0; i < n; i++) {
            base[i] = (float) r.nextGaussian();
        }
        List<float[]> tvs = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            float[] tv = new float[n];
            for (int i = 0; i < n; i++) {
                tv[i] = (float) (scale * r.nextGaussian());
            }
            tvs.add(tv);
        }
        return new InMemoryMergeDriver.Values(shape, base, tvs);
    }

    static Map<String, InMemoryMergeDriver.Values> model(Random r, int tasks) {
        Map<String, InMemoryMergeDriver.Values> m = new LinkedHashMap<>();
        m.put(FC1, random(r, tasks, 0.1, 12, 8));
        m.put(P + "mlp.fc2.weight", random(r, tasks, 0.1, 8, 12));
        m.put(LN, random(r, tasks, 0.1, 6));
        for (String c : new String[]{"q", "k", "v"}) {
            m.put(P + "self_attn." + c + "_proj.weight", random(r, tasks, 0.1, 8, 8));
        }
        return m;
    }

    /** θ_0 + mean τ in doubles. */
    static double[] average(InMemoryMergeDriver.Values t) {
        double[] a = new double[t.base().length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (float[] tv : t.taskVectors()) {
                s += tv[i];
            }
            a[i] = t.base()[i] + s / t.taskVectors().size();
        }
        return a;
    }

    static void assertClose(double[] want, float[] have, double tol, String what) {
        assertEquals(want.length, have.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], have[i], tol, what + " [" + i + "]");
        }
    }

    @Test
    void cartRankZeroIsTheWeightAverage() {
        Map<String, InMemoryMergeDriver.Values> m = model(new Random(3), 3);
        Map<String, float[]> out = InMemoryMergeDriver.merge(Cart.fromParams(MethodParams.of("cart", "rank_ratio", 0.0, "lambda", 5.0)), m);
        for (String n : m.keySet()) {
            InMemoryMergeDriver.Values t = m.get(n);
            float[] have = out.get(n);
            for (int i = 0; i < have.length; i++) {
                // The same float operations in the same order: ((τ0 + τ1) + τ2) / 3, then θ_0 + that, with
                // τ_t = fl(θ_t − θ_0) as the executor reads it from θ_t = fl(θ_0 + τ_t).
                float b = t.base()[i];
                float[] tv = new float[3];
                for (int k = 0; k < 3; k++) {
                    tv[k] = (b + t.taskVectors().get(k)[i]) - b;
                }
                float mean = ((tv[0] + tv[1]) + tv[2]) / 3f;
                assertEquals(t.base()[i] + mean, have[i], Math.ulp(have[i]), n + " [" + i + "] is θ_avg up to one ulp");
            }
            assertClose(average(t), have, 1e-6, n);
        }
    }

    @Test
    void cartFullRankIsTheWeightAverage() {
        Map<String, InMemoryMergeDriver.Values> m = model(new Random(4), 4);
        for (boolean stack : new boolean[]{true, false}) {
            Map<String, float[]> out = InMemoryMergeDriver.merge(
                    Cart.fromParams(MethodParams.of("cart", "rank_ratio", 1.0, "lambda", 2.0, "stack_qkv", stack)), m);
            for (String n : m.keySet()) {
                assertClose(average(m.get(n)), out.get(n), 2e-5, n + " stack=" + stack);
            }
        }
    }

    @Test
    void cartIntermediateRankDiffersFromAverageOnlyOnLowRankKeys() {
        Map<String, InMemoryMergeDriver.Values> m = model(new Random(5), 3);
        Map<String, float[]> out = InMemoryMergeDriver.merge(Cart.fromParams(MethodParams.of("cart")), m);
        assertClose(average(m.get(LN)), out.get(LN), 1e-6, "layer_norm1 stays averaged");
        double[] avg = average(m.get(FC1));
        double dev = 0;
        for (int i = 0; i < avg.length; i++) {
            dev = Math.max(dev, Math.abs(avg[i] - out.get(FC1)[i]));
        }
        assertTrue(dev > 1e-3, "fc1 gets the low-rank correction, max deviation " + dev);
    }

    @Test
    void stackedHfQkvReproducesOpenClipInProj() {
        Random r = new Random(6);
        Map<String, InMemoryMergeDriver.Values> hf = model(r, 3);
        // The OpenCLIP layout of the same weights: q, k, v stacked row-wise in one in_proj_weight.
        String[] qkv = {P + "self_attn.q_proj.weight", P + "self_attn.k_proj.weight", P + "self_attn.v_proj.weight"};
        float[] base = new float[24 * 8];
        List<float[]> tvs = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            tvs.add(new float[24 * 8]);
        }
        for (int j = 0; j < 3; j++) {
            InMemoryMergeDriver.Values x = hf.get(qkv[j]);
            System.arraycopy(x.base(), 0, base, j * 64, 64);
            for (int t = 0; t < 3; t++) {
                System.arraycopy(x.taskVectors().get(t), 0, tvs.get(t), j * 64, 64);
            }
        }
        String inProj = "visual.transformer.resblocks.0.attn.in_proj_weight";
        Map<String, float[]> open = InMemoryMergeDriver.merge(Cart.fromParams(MethodParams.of("cart", "rank_ratio", 0.25)),
                Map.of(inProj, new InMemoryMergeDriver.Values(new long[]{24, 8}, base, tvs)));
        Map<String, float[]> stacked = InMemoryMergeDriver.merge(Cart.fromParams(MethodParams.of("cart", "rank_ratio", 0.25)), hf);
        Map<String, float[]> separate = InMemoryMergeDriver.merge(
                Cart.fromParams(MethodParams.of("cart", "rank_ratio", 0.25, "stack_qkv", false)), hf);
        double sepDiff = 0;
        for (int j = 0; j < 3; j++) {
            float[] s = stacked.get(qkv[j]);
            for (int i = 0; i < 64; i++) {
                assertEquals(open.get(inProj)[j * 64 + i], s[i], 1e-5, qkv[j]);
                sepDiff = Math.max(sepDiff, Math.abs(separate.get(qkv[j])[i] - s[i]));
            }
        }
        assertTrue(sepDiff > 1e-3, "per-matrix SVD is a different algorithm, max diff " + sepDiff);
    }

    @Test
    void isoCFlattensTheSpectrum() {
        Map<String, InMemoryMergeDriver.Values> m = model(new Random(7), 3);
        double alpha = 1.5;
        Map<String, float[]> out = InMemoryMergeDriver.merge(IsoC.fromParams(MethodParams.of("iso_c", "alpha", alpha)), m);
        InMemoryMergeDriver.Values t = m.get(FC1);
        int rows = 12, cols = 8;
        double[] delta = new double[rows * cols];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = (out.get(FC1)[i] - t.base()[i]) / alpha;
        }
        // All singular values equal ⇔ ΔᵀΔ = c·I (Δ is 12×8 of full column rank).
        double[][] g = new double[cols][cols];
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                for (int i = 0; i < rows; i++) {
                    g[a][b] += delta[i * cols + a] * delta[i * cols + b];
                }
            }
        }
        double c = g[0][0];
        assertTrue(c > 1e-3);
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                assertEquals(a == b ? c : 0.0, g[a][b], 1e-5 * c * 10, "Gram " + a + "," + b);
            }
        }
        // The flat level is the mean singular value of Σ τ_t: ‖Δ‖_F² = r · mean(S)², and
        // trace(Δᵀ·Σ τ_t) = mean(S) · Σ S = r · mean(S)² as well.
        double dot = 0;
        for (int i = 0; i < delta.length; i++) {
            double sum = 0;
            for (float[] tv : t.taskVectors()) {
                sum += tv[i];
            }
            dot += delta[i] * sum;
        }
        assertEquals(cols * c, dot, 1e-4 * dot);
        assertClose(meanDelta(m.get(LN), alpha), out.get(LN), 1e-6, "1-D tensors: θ_0 + α·mean τ");
    }

    static double[] meanDelta(InMemoryMergeDriver.Values t, double alpha) {
        double[] a = average(t);
        for (int i = 0; i < a.length; i++) {
            a[i] = t.base()[i] + alpha * (a[i] - t.base()[i]);
        }
        return a;
    }

    @Test
    void zeroTaskVectorsGiveTheBaseEverywhere() {
        Map<String, InMemoryMergeDriver.Values> m = model(new Random(8), 3);
        Map<String, InMemoryMergeDriver.Values> zero = new LinkedHashMap<>();
        m.forEach((n, t) -> {
            List<float[]> tvs = new ArrayList<>();
            t.taskVectors().forEach(v -> tvs.add(new float[v.length]));
            zero.put(n, new InMemoryMergeDriver.Values(t.shape(), t.base(), tvs));
        });
        for (MergeMethod method : List.of(Cart.fromParams(MethodParams.of("cart")), Tsvm.fromParams(MethodParams.of("tsv_m")),
                IsoC.fromParams(MethodParams.of("iso_c")), IsoCts.fromParams(MethodParams.of("iso_cts")))) {
            Map<String, float[]> out = InMemoryMergeDriver.merge(method, zero);
            for (String n : zero.keySet()) {
                float[] b = zero.get(n).base();
                for (int i = 0; i < b.length; i++) {
                    assertEquals(b[i], out.get(n)[i], 1e-6, method.describe() + " " + n);
                }
            }
        }
    }

    @Test
    void tsvmWithFewerSingularValuesThanTasksKeepsTheBase() {
        Random r = new Random(9);
        Map<String, InMemoryMergeDriver.Values> m = Map.of("w", random(r, 3, 0.1, 2, 5)); // r = 2 < T = 3, k = 0
        float[] out = InMemoryMergeDriver.merge(Tsvm.fromParams(MethodParams.of("tsv_m")), m).get("w");
        for (int i = 0; i < out.length; i++) {
            assertEquals(m.get("w").base()[i], out[i], 0f);
        }
    }

    @Test
    void tsvmDeltaIsSumOfOrthogonalisedTopK() {
        // With T = 2 and r = 8, k = 4 fills every column; for task vectors with exactly orthogonal
        // supports (disjoint rows and columns) the polar step changes nothing, so Δ = Σ_t SVD_4(τ_t).
        float[] base = new float[64];
        List<float[]> tvs = List.of(new float[64], new float[64]);
        Random r = new Random(10);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                tvs.get(0)[i * 8 + j] = (float) r.nextGaussian();
                tvs.get(1)[(i + 4) * 8 + j + 4] = (float) r.nextGaussian();
            }
        }
        float[] out = InMemoryMergeDriver.merge(Tsvm.fromParams(MethodParams.of("tsv_m", "alpha", 2.0)),
                Map.of("w", new InMemoryMergeDriver.Values(new long[]{8, 8}, base, tvs))).get("w");
        for (int i = 0; i < 64; i++) {
            assertEquals(2.0 * (tvs.get(0)[i] + tvs.get(1)[i]), out[i], 1e-5, "entry " + i);
        }
    }

    @Test
    void isoCtsWithTheWholeSpaceCommonIsIsoC() {
        Map<String, InMemoryMergeDriver.Values> m = model(new Random(12), 3);
        Map<String, float[]> cts = InMemoryMergeDriver.merge(IsoCts.fromParams(MethodParams.of("iso_cts", "common_space_fraction", 1.0)), m);
        Map<String, float[]> c = InMemoryMergeDriver.merge(IsoC.fromParams(MethodParams.of("iso_c")), m);
        for (String n : m.keySet()) {
            for (int i = 0; i < c.get(n).length; i++) {
                assertEquals(c.get(n)[i], cts.get(n)[i], 1e-5, n);
            }
        }
        // f = 0 makes kc negative for these shapes (clamped to 0): must still run and stay finite.
        Map<String, float[]> zero = InMemoryMergeDriver.merge(IsoCts.fromParams(MethodParams.of("iso_cts", "common_space_fraction", 0.0)), m);
        zero.values().forEach(a -> {
            for (float v : a) {
                assertTrue(Float.isFinite(v));
            }
        });
    }

    @Test
    void stackingHandlesGroupedQueryAttentionShapes() {
        // Llama GQA: q [8,8], k and v [4,8] stack into one [16,8] matrix.
        Random r = new Random(13);
        String p = "model.layers.0.self_attn.";
        Map<String, InMemoryMergeDriver.Values> llama = new LinkedHashMap<>();
        llama.put(p + "q_proj.weight", random(r, 2, 0.1, 8, 8));
        llama.put(p + "k_proj.weight", random(r, 2, 0.1, 4, 8));
        llama.put(p + "v_proj.weight", random(r, 2, 0.1, 4, 8));
        float[] base = new float[16 * 8];
        List<float[]> tvs = List.of(new float[16 * 8], new float[16 * 8]);
        int off = 0;
        for (String c : new String[]{"q", "k", "v"}) {
            InMemoryMergeDriver.Values t = llama.get(p + c + "_proj.weight");
            System.arraycopy(t.base(), 0, base, off, t.base().length);
            for (int k = 0; k < 2; k++) {
                System.arraycopy(t.taskVectors().get(k), 0, tvs.get(k), off, t.base().length);
            }
            off += t.base().length;
        }
        MethodParams params = MethodParams.of("cart", "rank_ratio", 0.25, "lambda", 1.7);
        float[] whole = InMemoryMergeDriver.merge(Cart.fromParams(params),
                Map.of("visual.transformer.resblocks.0.attn.in_proj_weight", new InMemoryMergeDriver.Values(new long[]{16, 8}, base, tvs)))
                .values().iterator().next();
        Map<String, float[]> split = InMemoryMergeDriver.merge(Cart.fromParams(params), llama);
        off = 0;
        for (String c : new String[]{"q", "k", "v"}) {
            float[] a = split.get(p + c + "_proj.weight");
            for (int i = 0; i < a.length; i++) {
                assertEquals(whole[off + i], a[i], 1e-5, c);
            }
            off += a.length;
        }
    }

    @Test
    void isoCtsSplitRoundsHalfToEvenLikePython() {
        assertEquals(List.of(616, 19), List.of(IsoCts.split(768, 8, 0.8)[0], IsoCts.split(768, 8, 0.8)[1]));
        assertEquals(List.of(5, 1), List.of(IsoCts.split(8, 3, 0.8)[0], IsoCts.split(8, 3, 0.8)[1]));
        // (50 − 40)/4 = 2.5: Python round gives 2, so kc = 50 − 8 = 42.
        assertEquals(List.of(42, 2), List.of(IsoCts.split(50, 4, 0.8)[0], IsoCts.split(50, 4, 0.8)[1]));
        // (10 − 8)/4 = 0.5 → 0: no task-specific space at all.
        assertEquals(List.of(10, 0), List.of(IsoCts.split(10, 4, 0.8)[0], IsoCts.split(10, 4, 0.8)[1]));
        // Degenerate: 2 − round(2/3)·3 < 0 → kc clamped to 0, d = floor(2/3) = 0.
        assertEquals(List.of(0, 0), List.of(IsoCts.split(2, 3, 0.0)[0], IsoCts.split(2, 3, 0.0)[1]));
    }

    @Test
    void paramsAreValidated() {
        assertThrows(AmalgamException.class, () -> Cart.fromParams(MethodParams.of("cart", "rank", 0.1)));
        assertThrows(AmalgamException.class, () -> Cart.fromParams(MethodParams.of("cart", "rank_ratio", 1.5)));
        assertThrows(AmalgamException.class, () -> Cart.fromParams(MethodParams.of("cart", "key_rule", "vit")));
        assertThrows(AmalgamException.class, () -> Cart.fromParams(MethodParams.of("cart", "rank_mode", "auto")));
        assertThrows(AmalgamException.class, () -> Tsvm.fromParams(MethodParams.of("tsv_m", "exclude_keys", "(")));
        assertThrows(AmalgamException.class, () -> IsoCts.fromParams(MethodParams.of("iso_cts", "common_space_fraction", 2)));
        assertThrows(AmalgamException.class, () -> IsoC.fromParams(MethodParams.of("iso_c", "scaling_factor", 1.5)));
        assertEquals("CART rank_ratio=0.12 lambda=2.0 key_rule=clip stack_qkv=true", Cart.fromParams(MethodParams.of("cart")).describe());
        assertEquals("CART rank_ratio=0.04 lambda=1.6 key_rule=lm stack_qkv=false",
                Cart.fromParams(MethodParams.of("cart", "key_rule", "lm", "rank_ratio", 0.04, "lambda", 1.6)).describe());
        assertEquals("TSV-M alpha=1.0 exclude_keys=text_projection", Tsvm.fromParams(MethodParams.of("tsv_m")).describe());
        assertEquals("Iso-C alpha=1.0 exclude_keys=none", IsoC.fromParams(MethodParams.of("iso_c")).describe());
        assertEquals("Iso-CTS alpha=1.0 common_space_fraction=0.8 exclude_keys=none", IsoCts.fromParams(MethodParams.of("iso_cts")).describe());
    }

    @Test
    void stackedCartRefusesAPerTensorMergeOfAProjection() {
        Map<String, InMemoryMergeDriver.Values> m = model(new Random(11), 2);
        Cart cart = Cart.fromParams(MethodParams.of("cart"));
        // An executor that ignores JointTensors must fail, not silently run the per-matrix variant.
        MergeMethod ignoring = new MergeMethod() {
            public String name() {
                return cart.name();
            }

            public String describe() {
                return cart.describe();
            }

            public ai.djl.ndarray.NDArray merge(TensorStep step) {
                return cart.merge(step);
            }
        };
        assertThrows(IllegalStateException.class, () -> InMemoryMergeDriver.merge(ignoring, m));
        Map<String, InMemoryMergeDriver.Values> missingV = new LinkedHashMap<>(m);
        missingV.remove(P + "self_attn.v_proj.weight");
        AmalgamException e = assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(cart, missingV));
        assertTrue(e.getMessage().contains("v_proj"), e.getMessage());
        // Excluding one member of a stacked triple is a user error too.
        Cart excl = Cart.fromParams(MethodParams.of("cart", "exclude_keys", "k_proj"));
        assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(excl, m));
    }
}
