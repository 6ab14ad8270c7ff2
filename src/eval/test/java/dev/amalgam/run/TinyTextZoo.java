package dev.amalgam.run;

import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.eval.run.SyntheticTextSuite;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.io.TensorSource;
import dev.amalgam.report.ResultTable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A tiny text suite for run tests: a random 1-layer BERT as "pre-trained", three other random BERTs
 * (with random 2-class heads) as the task "fine-tunes", and per task train/test/ood JSONL whose label
 * is a word rule (so a linear probe has something to learn).
 */
public final class TinyTextZoo {
    public static final List<String> TASKS = List.of("alpha", "beta", "gamma");
    private static final Map<String, List<String>> RULES = Map.of("alpha", List.of("good", "great"),
            "beta", List.of("bad", "awful"), "gamma", List.of("movie", "actor"));

    private TinyTextZoo() {
    }

    public static void write(Path root) throws IOException {
        SyntheticTextSuite.writeModel(root.resolve("pretrained"), 16, 1, 2, 32, 1);
        Random r = new Random(7);
        for (int i = 0; i < TASKS.size(); i++) {
            String t = TASKS.get(i);
            SyntheticTextSuite.writeModel(root.resolve("models").resolve(t), 16, 1, 2, 32, 11 + i);
            for (String split : List.of("train", "test", "ood")) {
                StringBuilder sb = new StringBuilder();
                for (int n = 0; n < (split.equals("train") ? 60 : 30); n++) {
                    List<String> words = new ArrayList<>();
                    int len = 4 + r.nextInt(8);
                    for (int w = 0; w < len; w++) {
                        words.add(SyntheticTextSuite.WORDS.get(r.nextInt(SyntheticTextSuite.WORDS.size())));
                    }
                    int label = words.stream().anyMatch(RULES.get(t)::contains) ? 1 : 0;
                    sb.append("{\"text\":\"").append(String.join(" ", words)).append("\",\"label\":").append(label).append("}\n");
                }
                Files.createDirectories(root.resolve("data").resolve(t));
                Files.writeString(root.resolve("data").resolve(t).resolve(split + ".jsonl"), sb.toString());
            }
        }
    }

    /** The suite block of a recipe placed in {@code root}. */
    public static String suiteYaml() {
        return "suite:\n  kind: text\n  pretrained: pretrained\n  data: data\n  models: {alpha: models/alpha, "
                + "beta: models/beta, gamma: models/gamma}\n";
    }

    /** An in-memory F32 tensor source (independently computed weights). */
    static TensorSource source(Map<String, float[]> values, Map<String, long[]> shapes) {
        InMemoryTensorSource s = new InMemoryTensorSource("independent merge");
        values.forEach((n, v) -> s.f32(n, shapes.get(n), v));
        return s;
    }

    /** The tensors of the checkpoints of the pre-trained model and {@code tasks}' fine-tunes under {@code root}. */
    private record Zoo(Map<String, float[]> base, List<Map<String, float[]>> models, Map<String, long[]> shapes) {
        static Zoo read(Path root, List<String> tasks) {
            Map<String, long[]> shapes = new TreeMap<>();
            List<Map<String, float[]>> models = new ArrayList<>();
            for (String t : tasks) {
                try (Checkpoint c = Checkpoints.open(root.resolve("models").resolve(t))) {
                    models.add(TinyTextZoo.read(c, shapes));
                }
            }
            try (Checkpoint c = Checkpoints.open(root.resolve("pretrained"))) {
                return new Zoo(TinyTextZoo.read(c, shapes), models, shapes);
            }
        }
    }

    /** θ_0 + λ Σ_t (θ_t − θ_0) over {@code tasks}, in double, apart from the merge code. */
    static TensorSource taskArithmetic(Path root, List<String> tasks, double lambda) {
        Zoo z = Zoo.read(root, tasks);
        Map<String, float[]> merged = new TreeMap<>();
        z.base().forEach((n, w) -> {
            float[] m = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                double sum = 0;
                for (Map<String, float[]> model : z.models()) {
                    sum += (double) model.get(n)[i] - w[i];
                }
                m[i] = (float) (w[i] + lambda * sum);
            }
            merged.put(n, m);
        });
        return source(merged, z.shapes());
    }

    /**
     * EMR's model of {@code tasks.get(task)}, θ_0 + λ_t (M_t ⊙ ε), in double from the formulas of
     * docs/methods/merge-methods.md §4 (sign of Σ τ, masks, elected maxima, λ_t from per-tensor means).
     */
    static TensorSource emrTaskModel(Path root, List<String> tasks, int task) {
        Zoo z = Zoo.read(root, tasks);
        Map<String, double[]> elected = new TreeMap<>();
        double own = 0;
        double kept = 0;
        for (Map.Entry<String, float[]> e : z.base().entrySet()) {
            float[] w = e.getValue();
            double[] eps = new double[w.length];
            double ownSum = 0;
            double keptSum = 0;
            for (int i = 0; i < w.length; i++) {
                double[] tau = new double[tasks.size()];
                double sum = 0;
                for (int t = 0; t < tau.length; t++) {
                    tau[t] = (double) z.models().get(t).get(e.getKey())[i] - w[i];
                    sum += tau[t];
                }
                double flag = sum > 0 ? 1 : -1;
                double max = 0;
                for (double v : tau) {
                    if (v * flag > 0) {
                        max = Math.max(max, Math.abs(v));
                    }
                }
                eps[i] = tau[task] * flag > 0 ? flag * max : 0; // ε masked by M_task
                ownSum += Math.abs(tau[task]);
                keptSum += Math.abs(eps[i]);
            }
            own += ownSum / w.length;
            kept += keptSum / w.length;
            elected.put(e.getKey(), eps);
        }
        double lambda = own / kept;
        Map<String, float[]> model = new TreeMap<>();
        z.base().forEach((n, w) -> {
            float[] m = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                m[i] = (float) (w[i] + lambda * elected.get(n)[i]);
            }
            model.put(n, m);
        });
        return source(model, z.shapes());
    }

    /** All F32 tensors of a checkpoint as float arrays. */
    static Map<String, float[]> read(TensorSource s, Map<String, long[]> shapes) {
        Map<String, float[]> out = new TreeMap<>();
        for (String n : s.names()) {
            ByteBuffer b = s.bytes(n).order(ByteOrder.LITTLE_ENDIAN);
            float[] a = new float[b.remaining() / 4];
            b.asFloatBuffer().get(a);
            out.put(n, a);
            shapes.put(n, s.info(n).shape());
        }
        return out;
    }

    /** The row's ID and OOD accuracy on {@code task} are the suite's scores of {@code weights}, computed apart. */
    static void assertScores(EvaluationSuite suite, TensorSource weights, ResultTable.Row row, String task) {
        suite.setWeights(weights);
        EvaluationSuite.Scores want = suite.evaluate(task);
        assertEquals(want.id().get(task), ResultTable.id(row, task), row.method() + " " + task + " ID");
        assertEquals(want.ood().get(task), ResultTable.ood(row, task), row.method() + " " + task + " OOD");
    }
}
