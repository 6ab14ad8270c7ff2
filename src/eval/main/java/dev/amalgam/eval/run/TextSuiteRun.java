package dev.amalgam.eval.run;

import dev.amalgam.AmalgamException;
import dev.amalgam.model.heads.LinearHead;
import dev.amalgam.eval.metrics.Accuracy;
import dev.amalgam.report.ResultTable;
import dev.amalgam.train.FineTunedHead;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fine-tuned (or merged) BERT-family backbone on the text suite: features from
 * {@link TextSuiteEvaluator}, pooled as the head was trained (head.json {@code model_options.pooling}:
 * mean, cls, or auto = BERT's pooler when the encoder has one, else mean), each task scored with a
 * fine-tuned head ({@code head.safetensors}, e.g. a merge's {@code heads/<task>/}) on its ID test split
 * and its OOD split. Times the forward passes and the heads separately.
 */
public final class TextSuiteRun {

    /**
     * @param heads task → checkpoint dir whose head scores that task; tasks not listed use {@code modelDir}'s head
     * @param limit at most this many examples per split
     */
    public record Options(Path modelDir, Path dataDir, List<String> tasks, List<String> splits,
                          Map<String, Path> heads, int maxLength, int limit) {
    }

    public record Timing(double loadSeconds, double forwardSeconds, double headSeconds) {
    }

    public record Outcome(ResultTable table, Timing timing) {
    }

    private TextSuiteRun() {
    }

    public static Outcome run(Options o) {
        for (String split : o.splits()) {
            if (!split.equals("test") && !split.equals("ood")) {
                throw new AmalgamException("unknown split '" + split + "' (use test, ood)");
            }
        }
        for (String t : o.heads().keySet()) {
            if (!o.tasks().contains(t)) {
                throw new AmalgamException("--head names task '" + t + "' that is not evaluated (tasks: " + o.tasks() + ")");
            }
        }
        for (String t : o.tasks()) {
            if (!Files.isDirectory(o.dataDir().resolve(t))) {
                throw new AmalgamException(o.dataDir().resolve(t) + ": task directory not found");
            }
        }
        Map<String, FineTunedHead> heads = new LinkedHashMap<>();
        for (String t : o.tasks()) {
            Path dir = o.heads().getOrDefault(t, o.modelDir());
            if (!Files.isRegularFile(dir.resolve("head.json"))) {
                throw new AmalgamException(dir + ": no head.json (a fine-tuned classifier saved by 'amalgam finetune')");
            }
            heads.put(t, FineTunedHead.read(dir));
        }
        long s = System.nanoTime();
        double forward = 0;
        double headTime = 0;
        ResultTable table = new ResultTable(o.tasks(), o.tasks());
        Map<String, Double> id = new LinkedHashMap<>();
        Map<String, Double> ood = new LinkedHashMap<>();
        Map<String, Integer> idN = new LinkedHashMap<>();
        Map<String, Integer> oodN = new LinkedHashMap<>();
        try (TextSuiteEvaluator ev = new TextSuiteEvaluator(o.modelDir(), o.dataDir(), o.tasks(), o.maxLength(),
                o.limit(), o.splits())) {
            double load = seconds(s);
            for (String t : o.tasks()) {
                FineTunedHead head = heads.get(t);
                // as the head was trained: "auto" is BERT's pooler when the encoder has one (BertForSequenceClassification)
                String pooling = switch (head.pooling()) {
                    case "mean", "cls" -> head.pooling();
                    case "auto" -> ev.encoder().hasPooler() ? "pooler" : "mean";
                    default -> throw new AmalgamException(o.heads().getOrDefault(t, o.modelDir()) + ": head pooling '"
                            + head.pooling() + "' is not supported (auto, mean, cls)");
                };
                LinearHead linear = head.toLinearHead();
                if (linear.numClasses() > 0 && head.weight()[0].length != ev.encoder().config().hiddenSize()) {
                    throw new AmalgamException(o.heads().getOrDefault(t, o.modelDir()) + ": head has "
                            + head.weight()[0].length + " inputs, the encoder's hidden size is "
                            + ev.encoder().config().hiddenSize());
                }
                for (String split : o.splits()) {
                    long f = System.nanoTime();
                    float[][] features = ev.features(t, split, pooling);
                    forward += seconds(f);
                    long h = System.nanoTime();
                    int[] labels = ev.labels(t, split);
                    int[] pred = new int[features.length];
                    for (int i = 0; i < features.length; i++) {
                        if (labels[i] >= linear.numClasses()) {
                            throw new AmalgamException(o.dataDir().resolve(t).resolve(split + ".jsonl") + ": label "
                                    + labels[i] + " but the head has " + linear.numClasses() + " classes");
                        }
                        pred[i] = argmax(linear.logits(features[i]));
                    }
                    (split.equals("test") ? id : ood).put(t, Accuracy.of(pred, labels));
                    (split.equals("test") ? idN : oodN).put(t, labels.length);
                    headTime += seconds(h);
                }
            }
            table.add(o.modelDir().getFileName() == null ? o.modelDir().toString() : o.modelDir().getFileName().toString(),
                    ResultTable.Kind.MERGED, id, ood);
            idN.forEach(table::examples);
            oodN.forEach((t, n) -> table.examples("ood:" + t, n));
            return new Outcome(table, new Timing(load, forward, headTime));
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
