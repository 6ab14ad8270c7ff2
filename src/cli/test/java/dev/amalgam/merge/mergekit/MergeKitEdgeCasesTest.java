package dev.amalgam.merge.mergekit;

import dev.amalgam.io.DType;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recipes MergeKit runs that a stricter reader would refuse, and the few it refuses (review findings). */
class MergeKitEdgeCasesTest {
    static final int H = 4;
    @TempDir
    static Path tmp;
    static TinyLlamaZoo zoo;
    static float[] baseEmbed;
    static float[] bigEmbed;

    @BeforeAll
    static void models() {
        zoo = new TinyLlamaZoo(tmp.resolve("zoo"), DType.F32);
        baseEmbed = TinyCheckpoints.randomFloats(1, 10 * H, 1f);
        bigEmbed = TinyCheckpoints.randomFloats(2, 12 * H, 1f);
        TinyCheckpoints.builder().config("{\"model_type\":\"llama\"}").f32("model.embed_tokens.weight", new long[]{10, H}, baseEmbed)
                .f32("model.norm.weight", new long[]{H}, 1, 2, 3, 4).writeTo(tmp.resolve("small"));
        float[] norm = {1.5f, 2, 3, 4};
        TinyCheckpoints.builder().config("{\"model_type\":\"llama\"}").f32("model.embed_tokens.weight", new long[]{12, H}, bigEmbed)
                .f32("model.norm.weight", new long[]{H}, norm).writeTo(tmp.resolve("big"));
    }

    static String y(String s) {
        for (String m : TinyLlamaZoo.MODELS) {
            s = s.replace("${" + m + "}", zoo.path(m).toString());
        }
        return s.replace("${small}", tmp.resolve("small").toString()).replace("${big}", tmp.resolve("big").toString());
    }

    static int n;

    static Map<String, float[]> merge(String yaml) throws IOException {
        n++;
        return MergeKitRun.merge(tmp.resolve("r" + n + ".yml"), y(yaml), tmp.resolve("o" + n));
    }

    @Test
    void addedTokensWithoutATokenizerMergeAreCutAsMergeKitCutsThem() throws IOException {
        Map<String, float[]> ties = merge("merge_method: task_arithmetic\nbase_model: ${small}\nmodels: [{model: ${big}, "
                + "parameters: {weight: 1}}]\n");
        assertArrayEquals(java.util.Arrays.copyOf(bigEmbed, 10 * H), ties.get("model.embed_tokens.weight"), 1e-6f,
                "the fine-tune's matrix cut to the base's 10 rows");
        Map<String, float[]> linear = merge("merge_method: linear\nmodels: [{model: ${small}, parameters: {weight: 1}}, "
                + "{model: ${big}, parameters: {weight: 1}}]\n");
        float[] got = linear.get("model.embed_tokens.weight");
        assertEquals(10 * H, got.length, "the rows both have");
        for (int i = 0; i < got.length; i++) {
            assertEquals((baseEmbed[i] + bigEmbed[i]) / 2, got[i], 1e-6);
        }
    }

    @Test
    void tiesAtTheTopKThresholdKeepExactlyKLowerIndicesFirst() throws IOException {
        float[] zero = new float[8];
        float[] a = {1, 2, 2, 2, 3, 0.5f, 0.1f, 4};
        float[] b = {-1, 0.5f, 1, -2, 1, 1, 1, 1};
        String[] names = {"tb", "ta", "tc"};
        float[][] vals = {zero, a, b};
        for (int i = 0; i < 3; i++) {
            TinyCheckpoints.builder().config("{\"model_type\":\"llama\"}").f32("model.norm.weight", new long[]{8}, vals[i])
                    .writeTo(tmp.resolve(names[i]));
        }
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("ties-eq.yml"), "merge_method: ties\nbase_model: " + tmp.resolve("tb")
                + "\nmodels: [" + tmp.resolve("ta") + ", " + tmp.resolve("tc") + "]\nparameters: {weight: 1, density: 0.5}\n",
                tmp.resolve("ties-eq"));
        double[] d0 = new double[8];
        double[][] ms = new double[2][8];
        for (int i = 0; i < 8; i++) {
            ms[0][i] = a[i];
            ms[1][i] = b[i];
        }
        double[] ref = MergeKitReference.gta(d0, ms, new double[]{1, 1}, new double[]{0.5, 0.5}, "magnitude", null, null, "sum",
                true, false, 1.0, null, null);
        MergeKitRun.close("exact-k ties", ref, got.get("model.norm.weight"), DType.F32, 1e-6);
        // |a| top 4 = 4, 3 and two of the three 2s (indices 1, 2): index 3 keeps only b's −2.
        assertEquals(-2f, got.get("model.norm.weight")[3], 1e-6, "the third equal 2 is not kept");
    }

    @Test
    void aBaseOutsideASliceIsFineForMethodsThatNeverReadIt() throws IOException {
        Map<String, float[]> got = merge("""
                merge_method: passthrough
                base_model: ${base}
                slices:
                  - sources: [{model: ${base}, layer_range: [0, 2]}]
                  - sources: [{model: ${m1}, layer_range: [5, 6]}]
                """);
        assertArrayEquals(zoo.values.get("m1").get("model.layers.5.mlp.up_proj.weight"), got.get("model.layers.2.mlp.up_proj.weight"), 0f);
        assertArrayEquals(zoo.values.get("m1").get("model.norm.weight"), got.get("model.norm.weight"), 0f,
                "the final norm comes from the last slice");
    }

    @Test
    void modelsWithTheSameDirectoryNameAreNotRefused() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("runs/math"));
        Path b = Files.createDirectories(tmp.resolve("runs/code"));
        copy(zoo.path("m1"), a.resolve("final"));
        copy(zoo.path("m2"), b.resolve("final"));
        Map<String, float[]> got = merge("merge_method: task_arithmetic\nbase_model: ${base}\nmodels: [{model: " + a.resolve("final")
                + ", parameters: {weight: 1}}, {model: " + b.resolve("final") + ", parameters: {weight: 1}}]\n");
        assertEquals(zoo.shapes.size(), got.size());
    }

    @Test
    void refusals() throws IOException {
        String dup = MergeKitRun.error(tmp.resolve("d.yml"), y("merge_method: linear\nslices:\n  - sources: [{model: ${m1}, "
                + "layer_range: [0, 2]}, {model: ${m1}, layer_range: [2, 4]}]\nparameters: {weight: 1}\n"), tmp.resolve("d"));
        assertTrue(dup.contains("is listed twice"), dup);
        String nosource = MergeKitRun.error(tmp.resolve("t.yml"), y("merge_method: task_arithmetic\nbase_model: ${base}\nmodels: "
                + "[{model: ${m1}, parameters: {weight: 1}}]\ntokenizer: {tokens: {t3: {force: true}}}\n"), tmp.resolve("t"));
        assertTrue(nosource.contains("tokenizer.tokens.t3: needs a 'source'"), nosource);
    }

    @Test
    void theTokenizerBlockIsReplayedToo() throws IOException {
        merge("merge_method: task_arithmetic\nbase_model: ${base}\nmodels: [{model: ${m1}, parameters: {weight: 1}}]\n"
                + "tokenizer: {source: union, pad_to_multiple_of: 64}\n");
        String written = Files.readString(tmp.resolve("o" + n).resolve("amalgam_recipe.yml"));
        assertTrue(written.contains("pad_to_multiple_of: 64"), written);
        assertEquals(64 * 16, MergeKitRun.read(tmp.resolve("o" + n)).get("lm_head.weight").length);
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
