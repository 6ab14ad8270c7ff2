package dev.amalgam.merge.mergekit;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hand-worked checks of {@link MergeKitReference} on tiny vectors (arithmetic in the comments). */
class MergeKitReferenceSelfTest {
    private static final double EPS = 1e-12;

    private static Map<String, Object> cond(String filter, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put("filter", filter);
        m.put("value", value);
        return m;
    }

    @Test
    void evaluateSettingGradient() {
        List<Double> g = List.of(0.0, 1.0, 0.5);
        // t=0: scaled=0, i0=0, i1=1, frac=0 -> 1*0.0 + 0*1.0 = 0.0
        assertEquals(0.0, (Double) MergeKitReference.evaluateSetting("w", g, 0.0), EPS);
        // t=0.5: scaled=1, i0=1, i1=2, frac=0 -> 1.0
        assertEquals(1.0, (Double) MergeKitReference.evaluateSetting("w", g, 0.5), EPS);
        // t=1: scaled=2, i0=2, i1=min(2,3)=2, frac=0 -> 0.5
        assertEquals(0.5, (Double) MergeKitReference.evaluateSetting("w", g, 1.0), EPS);
        // t=0.25: scaled=0.5, i0=0, i1=1, frac=0.5 -> 0.5*0.0 + 0.5*1.0 = 0.5
        assertEquals(0.5, (Double) MergeKitReference.evaluateSetting("w", g, 0.25), EPS);
        // t=0.75: scaled=1.5, i0=1, i1=2, frac=0.5 -> 0.5*1.0 + 0.5*0.5 = 0.75
        assertEquals(0.75, (Double) MergeKitReference.evaluateSetting("w", g, 0.75), EPS);
        // integer list still yields a float: [1, 3] at t=0.5 -> 0.5*1 + 0.5*3 = 2.0
        assertEquals(2.0, MergeKitReference.evaluateSetting("w", List.of(1, 3), 0.5));
        // scalar passes through unchanged
        assertEquals(7, MergeKitReference.evaluateSetting("w", 7, 0.3));
        // non-numeric list: index int(0.5*2) = 1
        assertEquals("b", MergeKitReference.evaluateSetting("w", List.of("a", "b", "c"), 0.5));
    }

    @Test
    void evaluateSettingConditionals() {
        List<Object> setting = List.of(
                cond("self_attn", 0.3),
                cond(null, List.of(0.0, 1.0)));
        // filter "self_attn" is a substring of the name -> 0.3
        assertEquals(0.3, MergeKitReference.evaluateSetting("model.layers.0.self_attn.q_proj.weight", setting, 0.25));
        // no match -> fallback gradient [0,1] at t=0.25 -> 0.25
        assertEquals(0.25, (Double) MergeKitReference.evaluateSetting("model.layers.0.mlp.down_proj.weight",
                setting, 0.25), EPS);
        // "*" matches anything
        assertEquals(0.9, MergeKitReference.evaluateSetting("x", List.of(cond("*", 0.9)), 0.0));
        // nothing matches -> null
        assertNull(MergeKitReference.evaluateSetting("abc", List.of(cond("mlp", 1.0)), 0.0));
    }

    @Test
    void gtaTies() {
        // base = 1 everywhere; deltas d1 = [1,-2,3,0.5], d2 = [-1,1,-4,2]; weights [1, 0.5]; density 0.5 -> k=2
        double[] base = {1, 1, 1, 1};
        double[][] models = {{2, -1, 4, 1.5}, {0, 2, -3, 3}};
        // magnitude: d1 keeps |3|,|-2| -> [0,-2,3,0]; d2 keeps |-4|,|2| -> [0,0,-4,2]
        // weighted: w1 -> [0,-2,3,0]; w2 (x0.5) -> [0,0,-2,1]
        // sum -> [0,-2,1,1] -> majority [+1,-1,+1,+1] (0 >= 0 -> +1)
        // mask1 = sign[0,-1,1,0] == maj -> [F,T,T,F]; mask2 = sign[0,0,-1,1] == maj -> [F,F,F,T]
        // mixed = [0,-2,3,1]; divisor = [0->1, 1, 1, 0.5]; normalized = [0,-2,3,2]; + base -> [1,-1,4,3]
        double[] r = MergeKitReference.gta(base, models, new double[] {1, 0.5}, new double[] {0.5, 0.5},
                "magnitude", null, null, "sum", true, false, 1.0, null, null);
        assertArrayEquals(new double[] {1, -1, 4, 3}, r, EPS);
        // without normalize: [0,-2,3,1] + base -> [1,-1,4,2]; with lambda 2: [1,-3,7,3]
        r = MergeKitReference.gta(base, models, new double[] {1, 0.5}, new double[] {0.5, 0.5},
                "magnitude", null, null, "sum", false, false, 1.0, null, null);
        assertArrayEquals(new double[] {1, -1, 4, 2}, r, EPS);
        r = MergeKitReference.gta(base, models, new double[] {1, 0.5}, new double[] {0.5, 0.5},
                "magnitude", null, null, "sum", false, false, 2.0, null, null);
        assertArrayEquals(new double[] {1, -3, 7, 3}, r, EPS);
        // density 0.1 -> k = int(0.4) = 0 -> MergeKit asserts
        assertThrows(IllegalArgumentException.class, () -> MergeKitReference.gta(base, models,
                new double[] {1, 1}, new double[] {0.1, 0.1}, "magnitude", null, null, "sum", true, false, 1.0,
                null, null));
    }

    @Test
    void gtaMagnitudeRescaleL1() {
        // d = [1,-2,3,0.5], density 0.5 -> [0,-2,3,0]; L1 before 6.5, after 5 -> scale 1.3 -> [0,-2.6,3.9,0]
        double[] r = MergeKitReference.gta(new double[4], new double[][] {{1, -2, 3, 0.5}}, new double[] {1},
                new double[] {0.5}, "magnitude", null, null, null, false, true, 1.0, null, null);
        assertArrayEquals(new double[] {0, -2.6, 3.9, 0}, r, 1e-12);
    }

    @Test
    void breadcrumbsEmptySliceWhenNTopIsZero() {
        // n=4, density 0.5 -> target 2, gamma 0.1 -> n_top = int(0.4) = 0, n_bot = 4-2-0 = 2
        // indices[2:-0] == indices[2:0] is empty -> every delta is dropped -> result == base
        double[] base = {1, 2, 3, 4};
        double[] r = MergeKitReference.gta(base, new double[][] {{2, 0, 6, 0}}, new double[] {1},
                new double[] {0.5}, "magnitude_outliers", new double[] {0.1}, null, null, false, false, 1.0,
                null, null);
        assertArrayEquals(base, r, EPS);
        // same with the default gamma 0.01 (gammas == null)
        r = MergeKitReference.gta(base, new double[][] {{2, 0, 6, 0}}, new double[] {1}, new double[] {0.5},
                "magnitude_outliers", null, null, null, false, false, 1.0, null, null);
        assertArrayEquals(base, r, EPS);
    }

    @Test
    void breadcrumbsRegularSlice() {
        // d = [5,-1,3,-4,2], density 0.6 -> target 3, gamma 0.2 -> n_top 1, n_bot = 5-3-1 = 1
        // ascending |d|: idx1(1), idx4(2), idx2(3), idx3(4), idx0(5); keep [1:4] -> idx4, idx2, idx3
        double[] r = MergeKitReference.gta(new double[5], new double[][] {{5, -1, 3, -4, 2}}, new double[] {1},
                new double[] {0.6}, "magnitude_outliers", new double[] {0.2}, null, null, false, false, 1.0,
                null, null);
        assertArrayEquals(new double[] {0, 0, 3, -4, 2}, r, EPS);
        // density 0.8 -> target 4, gamma 0.4 -> n_top 2, n_bot = -1 -> n_top 1, n_bot 0; keep [0:4] (drop idx0)
        r = MergeKitReference.gta(new double[5], new double[][] {{5, -1, 3, -4, 2}}, new double[] {1},
                new double[] {0.8}, "magnitude_outliers", new double[] {0.4}, null, null, false, false, 1.0,
                null, null);
        assertArrayEquals(new double[] {0, -1, 3, -4, 2}, r, EPS);
    }

    @Test
    void dareDrawsInElementOrder() {
        double[] d = {1, -2, 3, -4, 5};
        double density = 0.5;
        Random check = new Random(42);
        double[] expected = new double[5];
        for (int i = 0; i < 5; i++) {
            expected[i] = check.nextDouble() < density ? d[i] : 0;
        }
        double[] r = MergeKitReference.gta(new double[5], new double[][] {d}, new double[] {1},
                new double[] {density}, "random", null, null, null, false, false, 1.0, null, new Random(42));
        assertArrayEquals(expected, r, EPS);
    }

    @Test
    void linear() {
        // [1,2,3]*1 + [3,2,1]*3 = [10,8,6]; normalized /4 -> [2.5,2,1.5]
        double[][] m = {{1, 2, 3}, {3, 2, 1}};
        assertArrayEquals(new double[] {10, 8, 6}, MergeKitReference.linear(m, new double[] {1, 3}, false), EPS);
        assertArrayEquals(new double[] {2.5, 2, 1.5}, MergeKitReference.linear(m, new double[] {1, 3}, true), EPS);
    }

    @Test
    void slerpOrthogonalHalfway() {
        // dot 0 -> theta0 = pi/2, sin = 1; s0 = sin(pi/4) = s1 = sqrt(1/2)
        double h = Math.sqrt(0.5);
        assertArrayEquals(new double[] {h, h, 0},
                MergeKitReference.slerp(0.5, new double[] {1, 0, 0}, new double[] {0, 1, 0}), EPS);
        // scaled inputs: same angle, coefficients apply to the ORIGINAL vectors -> [2h, 3h, 0]
        assertArrayEquals(new double[] {2 * h, 3 * h, 0},
                MergeKitReference.slerp(0.5, new double[] {2, 0, 0}, new double[] {0, 3, 0}), EPS);
        // colinear -> lerp of the originals: 0.75*[1,2,3] + 0.25*[2,4,6] = [1.25,2.5,3.75]
        assertArrayEquals(new double[] {1.25, 2.5, 3.75},
                MergeKitReference.slerp(0.25, new double[] {1, 2, 3}, new double[] {2, 4, 6}), EPS);
    }

    @Test
    void nuslerpMatchesSlerpForOrthogonalRows() {
        double h = Math.sqrt(0.5);
        // weights [1,1] -> t = 0.5; flatten: one vector, theta = pi/2 -> [h,h,0]
        assertArrayEquals(new double[] {h, h, 0}, MergeKitReference.nuslerpMerge(null,
                new double[][] {{1, 0, 0}, {0, 1, 0}}, new double[] {1, 1}, null, false, true), EPS);
        // shape [2,2], row-wise=false (per row): row0 [1,0]/[0,1] -> [h,h]; row1 [1,0]/[2,0] colinear -> lerp [1.5,0]
        double[] v0 = {1, 0, 1, 0};
        double[] v1 = {0, 1, 2, 0};
        assertArrayEquals(new double[] {h, h, 1.5, 0},
                MergeKitReference.nuslerp(0.5, v0, v1, new int[] {2, 2}, false, false), EPS);
        // rowWise=true works on columns: col0 [1,1]/[0,2] (45 deg), col1 [0,0]/[1,0] (zero vector -> theta pi/2)
        // col0: theta = pi/4, sin(pi/8)/sin(pi/4) * ([1,1] + [0,2]) = c*[1,3]
        double c = Math.sin(Math.PI / 8) / Math.sin(Math.PI / 4);
        // col1: cos = 0 -> theta = pi/2 -> sin(pi/4)*([0,0] + [1,0]) = [h, 0]
        assertArrayEquals(new double[] {c, h, 3 * c, 0},
                MergeKitReference.nuslerp(0.5, v0, v1, new int[] {2, 2}, true, false), EPS);
    }

    @Test
    void multislerpAndKarcherOfOrthogonalUnitVectors() {
        double h = Math.sqrt(0.5);
        double[][] m = {{1, 0, 0}, {0, 1, 0}};
        // tangent vectors cancel, exp map returns the normalized mean [h,h,0] times mean norm 1
        assertArrayEquals(new double[] {h, h, 0},
                MergeKitReference.multislerp(m, new double[] {1, 1}, null, true, 1e-8), 1e-9);
        // Karcher: initial guess is already the mean, T = 0 -> break; scale 0.5*1 + 0.5*1 = 1
        assertArrayEquals(new double[] {h, h, 0}, MergeKitReference.karcher(m, 10, 1e-5), 1e-12);
        // antipodal pair with equal weights: mean norm 0 -> linear fallback 0.5*a + 0.5*(-a) = 0
        assertArrayEquals(new double[] {0, 0, 0}, MergeKitReference.multislerp(
                new double[][] {{1, 2, 3}, {-1, -2, -3}}, new double[] {1, 1}, null, true, 1e-8), EPS);
    }

    @Test
    void modelStockTwoModels() {
        // base [1,1,1]; offsets [1,1,0] and [1,0,1]: norms sqrt2*sqrt2 = 2, dot 1 -> cos 0.5
        // N=2: t = 2*0.5/(1+0.5) = 2/3; w_avg = [2,1.5,1.5]; 2/3*w_avg + 1/3*base = [5/3,4/3,4/3]
        double[] base = {1, 1, 1};
        double[][] ms = {{2, 2, 1}, {2, 1, 2}};
        assertArrayEquals(new double[] {5.0 / 3, 4.0 / 3, 4.0 / 3},
                MergeKitReference.modelStock(base, ms, null, false), EPS);
        // filter-wise on [2,3]: row0 as above; row1 base [0,0,0], offsets [1,0,0],[0,1,0] -> cos 0 -> t 0 -> base
        double[] base2 = {1, 1, 1, 0, 0, 0};
        double[][] ms2 = {{2, 2, 1, 1, 0, 0}, {2, 1, 2, 0, 1, 0}};
        assertArrayEquals(new double[] {5.0 / 3, 4.0 / 3, 4.0 / 3, 0, 0, 0},
                MergeKitReference.modelStock(base2, ms2, new int[] {2, 3}, true), EPS);
        // not filter-wise on the same data: one vector, offsets [1,1,0,1,0,0] and [1,0,1,0,1,0]
        // norms sqrt3*sqrt3 = 3, dot 1 -> cos 1/3 -> t = (2/3)/(4/3) = 1/2 -> 0.5*avg + 0.5*base
        // avg = [2,1.5,1.5,0.5,0.5,0] -> [1.5,1.25,1.25,0.25,0.25,0]
        assertArrayEquals(new double[] {1.5, 1.25, 1.25, 0.25, 0.25, 0},
                MergeKitReference.modelStock(base2, ms2, new int[] {2, 3}, false), EPS);
    }

    @Test
    void sceTopkTieAndConsensus() {
        // tvs m1 = [1,2,3], m2 = [1,-2,-1]; var = [0,4,4] -> nonzero 2, k = int(2*0.5) = 1
        // tie |4| at idx1 and idx2 -> lowest index idx1 kept; masked tvs [0,2,0], [0,-2,0]
        // sum at idx1 = 0 -> majority +1: m1 kept, m2 erased; weights mean(tv^2) = 4/3 each -> 0.5, 0.5
        // idx1: (2*0.5)/0.5 = 2; others 0/max(0,1e-6) = 0
        assertArrayEquals(new double[] {0, 2, 0}, MergeKitReference.sce(new double[3],
                new double[][] {{1, 2, 3}, {1, -2, -1}}, 0.5), EPS);
        // selectTopk = 1 (no variance mask): m1 [1,2,0], m2 [1,-2,0]; sum [2,0,0] -> majority +1
        // erase m1 [T,T,F], m2 [T,F,F]; weights 5/3 each -> 0.5; merged [1,1,0]; denom [1,0.5,1e-6] -> [1,2,0]
        assertArrayEquals(new double[] {1, 2, 0}, MergeKitReference.sce(new double[3],
                new double[][] {{1, 2, 0}, {1, -2, 0}}, 1.0), EPS);
    }

    @Test
    void dellaProbabilitiesFollowRanks() {
        // row [1,-3,2]: ascending |x| ranks [1,3,2] -> rank_norm [0,1,0.5]
        // probs = (0.5-0.2) + rank_norm*0.4 = [0.3,0.7,0.5], drawn in element order
        double[] d = {1, -3, 2};
        double[] p = {0.3, 0.7, 0.5};
        Random check = new Random(7);
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = check.nextDouble() < p[i] ? d[i] : 0;
        }
        double[] r = MergeKitReference.gta(new double[3], new double[][] {d}, new double[] {1},
                new double[] {0.5}, "della_magprune", null, new double[] {0.2}, null, false, false, 1.0,
                new int[] {3}, new Random(7));
        assertArrayEquals(expected, r, EPS);
        // density +/- epsilon must stay inside (0,1)
        assertThrows(IllegalArgumentException.class, () -> MergeKitReference.gta(new double[3],
                new double[][] {d}, new double[] {1}, new double[] {0.5}, "della_magprune", null,
                new double[] {0.5}, null, false, false, 1.0, new int[] {3}, new Random(7)));
    }

    @Test
    void arceeFusionZeroThresholdKeepsEverything() {
        // importance = [0,0,0,10*KL]; sorted, n-1 = 3: median idx int(1.5)=1 -> 0, q1 idx 0 -> 0,
        // q3 idx int(2.25)=2 -> 0 -> threshold 0; importance >= 0 everywhere -> result == model
        double[] model = {0, 0, 0, 10};
        assertArrayEquals(model, MergeKitReference.arceeFusion(new double[4], model, null), EPS);
        // identical tensors -> delta 0 -> base
        double[] b = {1, 2, 3, 4};
        assertArrayEquals(b, MergeKitReference.arceeFusion(b, b.clone(), new int[] {2, 2}), EPS);
    }

    @Test
    void passthrough() {
        assertArrayEquals(new double[] {1, -2}, MergeKitReference.passthrough(new double[] {1, -2}, null), EPS);
        assertArrayEquals(new double[] {0.5, -1}, MergeKitReference.passthrough(new double[] {1, -2}, 0.5), EPS);
    }
}
