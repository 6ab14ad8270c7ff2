package dev.amalgam.cli;

import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.DTypeConversion;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end: tiny BERT-named checkpoints on disk → `amalgam merge` → read back → independent maths. */
class MergeCliTest {
    static final String[] NAMES = {
            "embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight",
            "encoder.layer.0.attention.self.query.bias", "encoder.layer.1.intermediate.dense.weight",
            "encoder.layer.1.output.LayerNorm.weight"};
    static final long[][] SHAPES = {{10, 4}, {4, 4}, {4}, {6, 4}, {4}};
    static final int TASKS = 3;

    @TempDir
    static Path tmp;
    static float[][][] values; // [model 0 = base][tensor][i]
    static Path base;
    static String models;

    @BeforeAll
    static void writeCheckpoints() {
        values = new float[TASKS + 1][NAMES.length][];
        StringBuilder ms = new StringBuilder();
        for (int m = 0; m <= TASKS; m++) {
            TinyCheckpoints.Builder b = TinyCheckpoints.builder()
                    .config("{\"model_type\":\"bert\",\"architectures\":[\"BertModel\"]}")
                    .file("tokenizer.json", "{\"fake\":true}");
            for (int i = 0; i < NAMES.length; i++) {
                int n = (int) (SHAPES[i][0] * (SHAPES[i].length > 1 ? SHAPES[i][1] : 1));
                float[] v = TinyCheckpoints.randomFloats(100 * m + i, n, m == 0 ? 1f : 0.05f);
                if (m > 0) {
                    for (int j = 0; j < n; j++) {
                        v[j] += values[0][i][j];
                    }
                }
                values[m][i] = v;
                b.f32(NAMES[i], SHAPES[i], v);
            }
            b.tensor("embeddings.position_ids", DType.I64, new long[]{3},
                    java.nio.ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putLong(2).flip());
            Path dir = b.writeTo(tmp.resolve(m == 0 ? "base" : "task" + m));
            if (m == 0) {
                base = dir;
            } else {
                ms.append(ms.length() == 0 ? "" : ",").append(dir);
            }
        }
        models = ms.toString();
    }

    static int run(String... args) {
        return Main.execute(args);
    }

    static float[] read(Path dir, String name) {
        try (Checkpoint c = Checkpoints.open(dir)) {
            return DTypeConversion.toFloatArray(c.bytes(name), c.info(name).dtype());
        }
    }

    @Test
    void taskArithmeticMatchesIndependentSum() throws Exception {
        Path out = tmp.resolve("ta");
        assertEquals(0, run("merge", "--method", "task_arithmetic", "--base", base.toString(), "--models", models,
                "--param", "lambda=0.3", "--param", "weight=1", "--out", out.toString()));
        for (int i = 0; i < NAMES.length; i++) {
            float[] got = read(out, NAMES[i]);
            for (int j = 0; j < got.length; j++) {
                double sum = 0;
                for (int t = 1; t <= TASKS; t++) {
                    sum += (double) values[t][i][j] - values[0][i][j];
                }
                assertEquals(values[0][i][j] + 0.3 * sum, got[j], 1e-6, NAMES[i] + "[" + j + "]");
            }
        }
        try (Checkpoint c = Checkpoints.open(out)) {
            assertEquals(2L, c.bytes("embeddings.position_ids").order(ByteOrder.LITTLE_ENDIAN).getLong(16));
            assertEquals("bert", c.config().get("model_type").asText());
            assertEquals("pt", c.metadata().get("format"));
            assertTrue(c.metadata().containsKey("recipe_sha256"), c.metadata().toString());
        }
        assertTrue(Files.readString(out.resolve("amalgam_recipe.yml")).contains("merge_method: \"task_arithmetic\""));
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
    }

    @Test
    void bf16OutputIsRoundedWithinHalfAnUlp() {
        Path out = tmp.resolve("avg-bf16");
        assertEquals(0, run("merge", "--method", "weight_average", "--base", base.toString(), "--models", models,
                "--out-dtype", "bf16", "--out", out.toString()));
        try (Checkpoint c = Checkpoints.open(out)) {
            assertEquals(DType.BF16, c.info(NAMES[1]).dtype());
            assertEquals("bfloat16", c.config().get("torch_dtype").asText());
        }
        float[] got = read(out, NAMES[1]);
        for (int j = 0; j < got.length; j++) {
            double avg = 0;
            for (int t = 1; t <= TASKS; t++) {
                avg += values[t][1][j] / (double) TASKS;
            }
            assertEquals(avg, got[j], Math.abs(avg) * Math.pow(2, -8) + 1e-30, "bf16 keeps 8 bits of mantissa");
        }
    }

    @Test
    void dareIsByteIdenticalForTheSameSeed() throws Exception {
        byte[][] files = new byte[3][];
        long[] seeds = {7, 7, 8};
        for (int i = 0; i < 3; i++) {
            Path out = tmp.resolve("dare" + i);
            assertEquals(0, run("merge", "--method", "dare", "--base", base.toString(), "--models", models,
                    "--seed", Long.toString(seeds[i]), "--out", out.toString()));
            files[i] = Files.readAllBytes(out.resolve("model.safetensors"));
        }
        assertArrayEquals(files[0], files[1]);
        assertFalse(java.util.Arrays.equals(files[0], files[2]));
    }

    private static String[] args(List<String> extra, String... first) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(extra);
        return all.toArray(new String[0]);
    }

    @Test
    void lwptvKeepAllEqualsHostAndPruneAllEqualsBase() throws Exception {
        for (String spec : List.of("ties:weight=1:density=0.5", "dare_ties:weight=1:density=0.5", "breadcrumbs:weight=1",
                "ties:scope=global", "consensus", "model_stock")) {
            String[] parts = spec.split(":");
            String method = parts[0];
            List<String> params = new java.util.ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                params.add("--param");
                params.add(parts[i]);
            }
            Path plain = tmp.resolve(spec + "-plain");
            Path keep = tmp.resolve(spec + "-keep");
            Path prune = tmp.resolve(spec + "-prune");
            assertEquals(0, run(args(params, "merge", "--method", method, "--base", base.toString(), "--models", models,
                    "--out", plain.toString())));
            assertEquals(0, run(args(params, "merge", "--method", method, "--base", base.toString(), "--models", models,
                    "--lwptv", "score=energy,rule=threshold,threshold=-1", "--out", keep.toString())));
            assertEquals(0, run(args(params, "merge", "--method", method, "--base", base.toString(), "--models", models,
                    "--lwptv", "keep_ratio=0", "--out", prune.toString())));
            for (int i = 0; i < NAMES.length; i++) {
                assertArrayEquals(read(plain, NAMES[i]), read(keep, NAMES[i]), 0f, method + " keep-all " + NAMES[i]);
                assertArrayEquals(values[0][i], read(prune, NAMES[i]), 0f, method + " prune-all " + NAMES[i]);
            }
            String masks = Files.readString(keep.resolve("lwptv_masks.csv"));
            assertTrue(masks.startsWith("task,embeddings,encoder.layer.0,encoder.layer.1"), masks);
        }
    }

    @Test
    void emrWritesModulatedOutputAndMaterializesEachTask() throws Exception {
        Path out = tmp.resolve("emr");
        assertEquals(0, run("merge", "--method", "emr", "--base", base.toString(), "--models", models, "--out", out.toString()));
        assertTrue(Files.exists(out.resolve("modulated.json")));
        Map<?, ?> manifest = new com.fasterxml.jackson.databind.ObjectMapper().readValue(out.resolve("modulated.json").toFile(), Map.class);
        List<?> scales = (List<?>) manifest.get("scales");
        for (int t = 1; t <= TASKS; t++) {
            Path task = tmp.resolve("emr-task" + t);
            assertEquals(0, run("materialize", out.toString(), "--task", "task" + t, "--out", task.toString()));
            // Independent EMR (docs/methods/merge-methods.md §4) for tensor 1, in doubles.
            int i = 1;
            int n = values[0][i].length;
            float[] got = read(task, NAMES[i]);
            double lambda = ((Number) scales.get(t - 1)).doubleValue();
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int u = 1; u <= TASKS; u++) {
                    sum += values[u][i][j] - values[0][i][j];
                }
                double flag = sum > 0 ? 1 : -1;
                double eps = 0;
                for (int u = 1; u <= TASKS; u++) {
                    double tv = values[u][i][j] - values[0][i][j];
                    if (tv * flag > 0) {
                        eps = Math.max(eps, Math.abs(tv));
                    }
                }
                double tvT = values[t][i][j] - values[0][i][j];
                double expected = values[0][i][j] + (tvT * flag > 0 ? lambda * flag * eps : 0);
                assertEquals(expected, got[j], 1e-5, "task" + t + " " + NAMES[i] + "[" + j + "]");
            }
        }
    }

    @Test
    void badInputsExitWithCode2AndLeaveNothing() throws Exception {
        Path existing = Files.createDirectories(tmp.resolve("exists"));
        Files.writeString(existing.resolve("keep.txt"), "x");
        String[][] cases = {
                {"merge", "--method", "nope", "--base", base.toString(), "--models", models, "--out", tmp.resolve("o1").toString()},
                {"merge", "--method", "task_arithmetic", "--base", base.toString(), "--models", models, "--out", existing.toString()},
                {"merge", "--method", "task_arithmetic", "--base", base.toString(), "--models", models, "--out", base.toString()},
                {"merge", "--method", "task_arithmetic", "--base", base.toString(), "--models", tmp.resolve("missing").toString(),
                        "--out", tmp.resolve("o2").toString()},
                {"merge", "--method", "ties", "--base", base.toString(), "--models", models, "--param", "lamda=1",
                        "--out", tmp.resolve("o3").toString()},
                {"merge", tmp.resolve("no-such-recipe.yaml").toString(), "--out", tmp.resolve("o4").toString()},
        };
        for (String[] c : cases) {
            PrintStream old = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            System.setErr(new PrintStream(err, true));
            try {
                code = run(c);
            } finally {
                System.setErr(old);
            }
            assertEquals(2, code, String.join(" ", c) + " -> " + err);
        }
        assertFalse(Files.exists(tmp.resolve("o1")));
        assertFalse(Files.exists(tmp.resolve("o2")));
        assertFalse(Files.exists(tmp.resolve("o3")));
        assertEquals(List.of(existing.resolve("keep.txt")), Files.list(existing).toList());
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("tmp")), "temp dirs left behind");
        }
    }
}
