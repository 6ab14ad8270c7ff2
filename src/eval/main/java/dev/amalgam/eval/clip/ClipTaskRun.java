package dev.amalgam.eval.clip;

import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.report.ResultTable;

import java.nio.file.Path;

/**
 * {@code amalgam eval MODEL --suite ta8}: one model's row on a CLIP task suite. The heads come from
 * {@code options.pretrainedDir()} ({@code --heads-from}, else the model itself); the model's vision
 * weights are then written into the suite's CLIP and every task is scored.
 */
public final class ClipTaskRun {

    public record Timing(double openSeconds, double evalSeconds, int headsBuilt, int headsCached) {
    }

    public record Outcome(ResultTable table, Timing timing) {
    }

    private ClipTaskRun() {
    }

    public static Outcome run(Path modelDir, ClipTaskOptions options) {
        ClipTaskSuite.requireClip(modelDir, false);
        long s = System.nanoTime();
        try (ClipTaskSuite suite = new ClipTaskSuite(options)) {
            boolean isPretrained = modelDir.toAbsolutePath().normalize()
                    .equals(options.pretrainedDir().toAbsolutePath().normalize());
            if (!isPretrained) {
                try (Checkpoint c = Checkpoints.open(modelDir)) {
                    suite.setWeights(c);
                }
            }
            double open = (System.nanoTime() - s) / 1e9;
            long e = System.nanoTime();
            EvaluationSuite.Scores scores = suite.evaluateAll();
            ResultTable table = new ResultTable(suite.tasks(), suite.oodColumns());
            String label = modelDir.toAbsolutePath().normalize().getFileName().toString();
            table.add(label, isPretrained ? ResultTable.Kind.PRETRAINED : ResultTable.Kind.MERGED, scores.id(), scores.ood());
            scores.idExamples().forEach(table::examples);
            scores.oodExamples().forEach((c, n) -> table.examples("ood:" + c, n));
            int built = suite.headsBuilt();
            return new Outcome(table, new Timing(open, (System.nanoTime() - e) / 1e9, built, suite.tasks().size() - built));
        }
    }
}
