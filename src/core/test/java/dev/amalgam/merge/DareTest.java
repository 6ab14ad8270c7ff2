package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import dev.amalgam.merge.ops.CounterRng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.Assertions2.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DareTest {
    private final List<Tensor> data = InMemoryMergeDriver.small(3, 31);

    /** The DARE task vector in doubles: keep iff u(seed, name, t, i) ≥ p, rescale as asked. */
    private static double[] dropped(Tensor x, int t, long seed, double p, String rescale) {
        CounterRng rng = new CounterRng(seed, x.name(), t);
        float[] v = x.tasks().get(t);
        double[] out = new double[v.length];
        double l1Before = 0;
        double l1After = 0;
        for (int i = 0; i < v.length; i++) {
            out[i] = rng.uniform(i) >= p ? v[i] : 0;
            l1Before += Math.abs(v[i]);
            l1After += Math.abs(out[i]);
        }
        for (int i = 0; i < v.length; i++) {
            if (rescale.equals("inverse")) {
                out[i] /= (1 - p);
            } else if (rescale.equals("l1") && l1After >= 1e-7) {
                out[i] *= l1Before / l1After;
            }
        }
        return out;
    }

    @Test
    void dareLinearMatchesReference() {
        for (String rescale : new String[]{"inverse", "l1", "none"}) {
            Dare dare = Dare.fromParams(MethodParams.of("dare_linear", "p", 0.4, "seed", 7, "rescale", rescale,
                    "lambda", 0.6));
            Map<String, float[]> got = InMemoryMergeDriver.merge(dare, data);
            for (Tensor x : data) {
                double[] exp = new double[x.size()];
                for (int t = 0; t < 3; t++) {
                    double[] d = dropped(x, t, 7, 0.4, rescale);
                    for (int i = 0; i < exp.length; i++) {
                        exp[i] += d[i];
                    }
                }
                for (int i = 0; i < exp.length; i++) {
                    exp[i] = x.base()[i] + 0.6 * exp[i];
                }
                close(exp, got.get(x.name()), 1e-6, rescale + " " + x.name());
            }
        }
    }

    @Test
    void dareTiesMatchesTiesOfDroppedVectors() {
        Dare dare = Dare.fromParams(MethodParams.of("dare_ties", "seed", 3));
        assertTrue(dare.describe().contains("lambda=0.5"), dare.describe());
        Map<String, float[]> got = InMemoryMergeDriver.merge(dare, data);
        List<Tensor> droppedData = new ArrayList<>();
        for (Tensor x : data) {
            List<float[]> tvs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                double[] d = dropped(x, t, 3, 0.5, "inverse");
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                tvs.add(f);
            }
            droppedData.add(new Tensor(x.name(), x.shape(), x.base(), tvs));
        }
        Map<String, double[]> exp = TiesReference.global(droppedData, 20, "dis-sum", 0.5);
        for (Tensor x : data) {
            close(exp.get(x.name()), got.get(x.name()), 1e-6, x.name());
        }
    }

    @Test
    void deterministicPerSeedAndIndependentOfOrder() {
        Map<String, float[]> a = InMemoryMergeDriver.merge(Dare.fromParams(MethodParams.of("dare", "seed", 42)), data);
        // the executor sees τ_t as fl(θ_t − θ_0); the step-by-step merge gets the same task vectors
        List<Tensor> reversed = new ArrayList<>(InMemoryMergeDriver.roundTripped(data));
        Collections.reverse(reversed);
        Map<String, float[]> b = new java.util.HashMap<>();
        Dare second = Dare.fromParams(MethodParams.of("dare", "seed", 42));
        for (Tensor x : reversed) {
            b.put(x.name(), InMemoryMergeDriver.withStep(x, s -> second.merge(s).toFloatArray()));
        }
        Map<String, float[]> c = InMemoryMergeDriver.merge(Dare.fromParams(MethodParams.of("dare", "seed", 43)), data);
        for (Tensor x : data) {
            assertArrayEquals(a.get(x.name()), b.get(x.name()), x.name());
            assertFalse(java.util.Arrays.equals(a.get(x.name()), c.get(x.name())), "seed 43 == seed 42 on " + x.name());
        }
    }

    @Test
    void dropFractionIsAboutP() {
        Tensor big = InMemoryMergeDriver.random("big", new long[]{200, 100}, 1, 5, 1.0);
        for (double p : new double[]{0.1, 0.5, 0.9}) {
            Dare dare = Dare.fromParams(MethodParams.of("dare", "p", p, "seed", 1, "lambda", 1.0));
            float[] out = InMemoryMergeDriver.merge(dare, List.of(big)).get("big");
            int zeros = 0;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == big.base()[i]) {
                    zeros++;
                } else {
                    double expect = big.base()[i] + big.tasks().get(0)[i] / (1 - p);
                    assertEquals(expect, out[i], 1e-4 * Math.max(1, Math.abs(expect)));
                }
            }
            double frac = zeros / (double) out.length;
            // 20000 Bernoulli draws: standard deviation ≤ 0.0036; allow 5σ.
            assertEquals(p, frac, 0.018, "drop fraction for p=" + p);
        }
    }

    @Test
    void params() {
        assertEquals(Dare.fromParams(MethodParams.of("dare", "density", 0.7)).describe(),
                Dare.fromParams(MethodParams.of("dare", "p", 0.30000000000000004)).describe());
        assertThrows(AmalgamException.class, () -> Dare.fromParams(MethodParams.of("dare", "p", 1.0)));
        assertThrows(AmalgamException.class, () -> Dare.fromParams(MethodParams.of("dare", "p", 0.5, "density", 0.5)));
        assertThrows(AmalgamException.class, () -> Dare.fromParams(MethodParams.of("dare", "k", 20)));
        assertThrows(AmalgamException.class, () -> Dare.fromParams(MethodParams.of("dare", "rescale", "sqrt")));
        assertTrue(Dare.fromParams(MethodParams.of("dare")).describe().contains("lambda=0.3"));
    }
}
