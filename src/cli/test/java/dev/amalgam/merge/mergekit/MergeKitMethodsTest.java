package dev.amalgam.merge.mergekit;

import dev.amalgam.io.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every MergeKit method Amalgam implements, run through {@code amalgam merge} on tiny Llama checkpoints
 * stored in F32 and in BF16, compared tensor by tensor with {@link MergeKitReference} (an independent
 * transcription of MergeKit a6e4028). Deterministic methods must match to 1e-5 relative (F32) or to the
 * output dtype's rounding (BF16); random ones (DARE, DELLA) are checked for their distribution and L1
 * rescaling, and for equality with the deterministic form at density 1. Weights are dyadic where a sign
 * vote is taken: BF16 task vectors lie on a coarse grid, so votes that cancel exactly are common, and only
 * dyadic weights keep an exact zero exactly zero in every precision (MergeKit's BF16 arithmetic included).
 */
class MergeKitMethodsTest {
    @TempDir
    static Path tmp;
    static TinyLlamaZoo f32;
    static TinyLlamaZoo bf16;
    static int run;

    @BeforeAll
    static void zoos() {
        f32 = new TinyLlamaZoo(tmp.resolve("f32"), DType.F32);
        bf16 = new TinyLlamaZoo(tmp.resolve("bf16"), DType.BF16);
    }

    /** A reference for one tensor: (zoo, tensor name) → expected values. */
    interface Ref extends BiFunction<TinyLlamaZoo, String, double[]> {
    }

    static void check(String yaml, Ref ref) throws IOException {
        for (TinyLlamaZoo zoo : new TinyLlamaZoo[]{f32, bf16}) {
            String y = yaml;
            for (String m : TinyLlamaZoo.MODELS) {
                y = y.replace("${" + m + "}", zoo.path(m).toString());
            }
            Path out = tmp.resolve("out" + run++);
            Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("r" + run + ".yml"), y, out);
            for (String name : zoo.shapes.keySet()) {
                MergeKitRun.close(zoo.dtype + " " + name + "\n" + yaml, ref.apply(zoo, name), got.get(name), zoo.dtype, 1e-5);
            }
        }
    }

    static double[][] models(TinyLlamaZoo z, String name, String... ms) {
        double[][] out = new double[ms.length][];
        for (int i = 0; i < ms.length; i++) {
            out[i] = z.get(ms[i], name);
        }
        return out;
    }

    @Test
    void taskArithmeticDefaultsToLambdaOne() throws IOException {
        check("""
                merge_method: task_arithmetic
                base_model: ${base}
                models:
                  - {model: ${m1}, parameters: {weight: 0.5}}
                  - {model: ${m2}, parameters: {weight: -0.3}}
                  - {model: ${m3}, parameters: {weight: 1.0}}
                """, (z, n) -> MergeKitReference.gta(z.get("base", n), models(z, n, "m1", "m2", "m3"), new double[]{0.5, -0.3, 1},
                null, null, null, null, null, false, false, 1.0, z.shape(n), null));
        check("""
                merge_method: task_arithmetic
                base_model: ${base}
                models: [{model: ${m1}}, {model: ${m2}}]
                parameters: {weight: 1.0, lambda: 0.3, normalize: true}
                """, (z, n) -> MergeKitReference.gta(z.get("base", n), models(z, n, "m1", "m2"), new double[]{1, 1},
                null, null, null, null, null, true, false, 0.3, z.shape(n), null));
    }

    @Test
    void tiesPerTensorDensityWithAndWithoutNormalisation() throws IOException {
        check("""
                merge_method: ties
                base_model: ${base}
                models:
                  - {model: ${m1}, parameters: {weight: 1.0, density: 0.6}}
                  - {model: ${m2}, parameters: {weight: 0.5, density: 0.3}}
                  - {model: ${m3}, parameters: {weight: 0.75, density: 0.9}}
                parameters: {int8_mask: true}
                """, (z, n) -> MergeKitReference.gta(z.get("base", n), models(z, n, "m1", "m2", "m3"),
                new double[]{1, 0.5, 0.75}, new double[]{0.6, 0.3, 0.9}, "magnitude", null, null, "sum", true, false, 1.0,
                z.shape(n), null));
        check("""
                merge_method: ties
                base_model: ${base}
                models: [{model: ${m1}}, {model: ${m2}}, {model: ${m3}}]
                parameters: {weight: 1, density: 0.5, normalize: false, lambda: 0.7}
                """, (z, n) -> MergeKitReference.gta(z.get("base", n), models(z, n, "m1", "m2", "m3"),
                new double[]{1, 1, 1}, new double[]{0.5, 0.5, 0.5}, "magnitude", null, null, "sum", false, false, 0.7,
                z.shape(n), null));
    }

    @Test
    void breadcrumbsPerTensorAndWithTies() throws IOException {
        for (String m : new String[]{"breadcrumbs", "breadcrumbs_ties"}) {
            String consensus = m.equals("breadcrumbs") ? null : "sum";
            check("merge_method: " + m + """

                    base_model: ${base}
                    models:
                      - {model: ${m1}, parameters: {weight: 1.0, density: 0.8, gamma: 0.05}}
                      - {model: ${m2}, parameters: {weight: 0.625, density: 0.7}}
                    """, (z, n) -> MergeKitReference.gta(z.get("base", n), models(z, n, "m1", "m2"), new double[]{1, 0.625},
                    new double[]{0.8, 0.7}, "magnitude_outliers", new double[]{0.05, 0.01}, null, consensus, false, false, 1.0,
                    z.shape(n), null));
        }
    }

    @Test
    void dareAndDellaAtDensityOneAreTaskArithmeticAndTies() throws IOException {
        for (String m : new String[]{"dare_linear", "dare_ties", "della", "della_linear"}) {
            boolean ties = !m.endsWith("linear");
            boolean normalize = m.equals("della");
            check("merge_method: " + m + """

                    base_model: ${base}
                    models: [{model: ${m1}, parameters: {weight: 0.75}}, {model: ${m2}, parameters: {weight: 0.375}}]
                    """, (z, n) -> MergeKitReference.gta(z.get("base", n), models(z, n, "m1", "m2"), new double[]{0.75, 0.375},
                    null, null, null, null, ties ? "sum" : null, normalize, true, 1.0, z.shape(n), null));
        }
    }

    @Test
    void dareKeepsTheDensityAndRestoresTheL1Norm() throws IOException {
        for (String m : new String[]{"dare_linear", "della_linear"}) {
            String y = "merge_method: " + m + "\nbase_model: " + f32.path("base") + "\nmodels: [{model: " + f32.path("m1")
                    + ", parameters: {weight: 1, density: 0.4, epsilon: 0.1}}]\nparameters: {rescale: true}\n";
            if (m.equals("dare_linear")) {
                y = y.replace(", epsilon: 0.1", "");
            }
            Map<String, float[]> got = MergeKitRun.merge(tmp.resolve(m + ".yml"), y, tmp.resolve(m + "-out"));
            long kept = 0;
            long total = 0;
            long keptTop = 0;
            long keptBottom = 0;
            for (String n : f32.shapes.keySet()) {
                double[] base = f32.get("base", n);
                double[] tv = f32.get("m1", n);
                double before = 0;
                double after = 0;
                for (int i = 0; i < base.length; i++) {
                    tv[i] -= base[i];
                    double d = got.get(n)[i] - base[i];
                    before += Math.abs(tv[i]);
                    after += Math.abs(d);
                    if (Math.abs(d) > 1e-7) {
                        kept++;
                        if (Math.abs(tv[i]) > 0.05 * 0.8) {
                            keptTop++;
                        } else if (Math.abs(tv[i]) < 0.05 * 0.2) {
                            keptBottom++;
                        }
                    }
                }
                total += base.length;
                assertEquals(before, after, 1e-4 * before, m + " L1 rescale " + n);
            }
            assertEquals(0.4, (double) kept / total, 0.02, m + " kept fraction");
            if (m.equals("della_linear")) {
                assertTrue(keptTop > keptBottom, "DELLA keeps large entries more often: " + keptTop + " vs " + keptBottom);
            }
        }
    }

    @Test
    void linearAveragesTheBaseInWhenItIsGiven() throws IOException {
        check("""
                merge_method: linear
                base_model: ${base}
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 2}}]
                parameters: {weight: 0.25}
                """, (z, n) -> MergeKitReference.linear(new double[][]{z.get("m1", n), z.get("m2", n), z.get("base", n)},
                new double[]{1, 2, 0.25}, true));
        check("""
                merge_method: linear
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 2}}]
                parameters: {normalize: false}
                """, (z, n) -> MergeKitReference.linear(new double[][]{z.get("m1", n), z.get("m2", n)}, new double[]{1, 2}, false));
    }

    @Test
    void slerpStartsAtTheBaseWhateverTheListOrder() throws IOException {
        check("""
                merge_method: slerp
                base_model: ${base}
                models: [{model: ${m1}}, {model: ${base}}]
                parameters: {t: 0.3}
                """, (z, n) -> MergeKitReference.slerp(0.3, z.get("base", n), z.get("m1", n)));
    }

    @Test
    void nuslerpWithAndWithoutBaseFlattenedOrNot() throws IOException {
        check("""
                merge_method: nuslerp
                base_model: ${base}
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 3}}]
                """, (z, n) -> MergeKitReference.nuslerpMerge(z.get("base", n), models(z, n, "m1", "m2"), new double[]{1, 3},
                z.shape(n), false, true));
        for (boolean rowWise : new boolean[]{false, true}) {
            check("""
                    merge_method: nuslerp
                    models: [{model: ${m1}, parameters: {weight: 2}}, {model: ${m2}, parameters: {weight: 1}}]
                    parameters: {nuslerp_flatten: false, nuslerp_row_wise: ROW}
                    """.replace("ROW", Boolean.toString(rowWise)), (z, n) -> MergeKitReference.nuslerpMerge(null,
                    models(z, n, "m1", "m2"), new double[]{2, 1}, z.shape(n), rowWise, false));
        }
    }

    @Test
    void multislerpAndKarcher() throws IOException {
        check("""
                merge_method: multislerp
                base_model: ${base}
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 2}}, {model: ${m3}, parameters: {weight: 3}}]
                """, (z, n) -> MergeKitReference.multislerp(models(z, n, "m1", "m2", "m3"), new double[]{1, 2, 3}, z.get("base", n),
                true, 1e-8));
        check("""
                merge_method: multislerp
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 2}}]
                """, (z, n) -> MergeKitReference.multislerp(models(z, n, "m1", "m2"), new double[]{1, 2}, null, true, 1e-8));
        check("""
                merge_method: karcher
                models: [{model: ${m1}}, {model: ${m2}}, {model: ${m3}}]
                parameters: {max_iter: 20, tol: 1e-7}
                """, (z, n) -> MergeKitReference.karcher(models(z, n, "m1", "m2", "m3"), 20, 1e-7));
    }

    @Test
    void modelStockPerTensorAndFilterWise() throws IOException {
        for (boolean fw : new boolean[]{false, true}) {
            check("""
                    merge_method: model_stock
                    base_model: ${base}
                    models: [{model: ${m1}}, {model: ${m2}}, {model: ${m3}}]
                    parameters: {filter_wise: FW}
                    """.replace("FW", Boolean.toString(fw)), (z, n) -> MergeKitReference.modelStock(z.get("base", n),
                    models(z, n, "m1", "m2", "m3"), z.shape(n), fw));
        }
    }

    @Test
    void sceSelectsByVarianceAndErasesDisagreeingSigns() throws IOException {
        for (double topk : new double[]{1.0, 0.5}) {
            check("""
                    merge_method: sce
                    base_model: ${base}
                    models: [{model: ${m1}}, {model: ${m2}}, {model: ${m3}}]
                    parameters: {select_topk: K}
                    """.replace("K", Double.toString(topk)), (z, n) -> MergeKitReference.sce(z.get("base", n),
                    models(z, n, "m1", "m2", "m3"), topk));
        }
    }

    @Test
    void passthroughScalesItsSources() throws IOException {
        check("""
                merge_method: passthrough
                slices:
                  - sources: [{model: ${m1}, layer_range: [0, 40], parameters: {scale: 0.5}}]
                """, (z, n) -> MergeKitReference.passthrough(z.get("m1", n), 0.5));
    }
}
