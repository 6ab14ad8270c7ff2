package dev.amalgam.run;

import ai.djl.Device;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;
import dev.amalgam.merge.job.LwptvTables;
import dev.amalgam.merge.Materializer;
import dev.amalgam.merge.MemorySink;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.merge.TaskModulated;
import dev.amalgam.merge.lwptv.Lwptv;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.report.Outcomes;
import dev.amalgam.report.Saliency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Computes one cell on an open suite. Baselines: the suite's pre-trained protocol, and each task's
 * fine-tune on its own task. Merges: the ID tasks' fine-tunes merged into {@code merges/<id>}, then
 * evaluated on every ID task (EMR/TALL: each task on its own reconstruction) and every held-out task
 * via {@link EvaluationSuite#evaluateUnseen}; the merged checkpoint is deleted unless kept, and an
 * LwPTV cell's task × layer keep masks are written to {@code masks/<id>.csv}.
 */
final class CellEvaluator {
    private static final long SHARD = 5L << 30;

    private final EvaluationSuite suite;
    private final List<String> tasks;
    private final List<String> heldout;
    private final Path merges;
    private final Path masks;
    private final boolean keep;
    private final Device device;
    /** Examples behind each accuracy of the cell being evaluated, keyed like results.csv's columns. */
    private final Map<String, Integer> examples = new LinkedHashMap<>();
    /** Per-example outcomes of the cell being evaluated, keyed like {@link #examples}. */
    private final Map<String, Outcomes> outcomes = new LinkedHashMap<>();

    CellEvaluator(EvaluationSuite suite, List<String> tasks, List<String> heldout, Path merges, Path masks, boolean keep,
                  Device device) {
        this.device = device;
        this.masks = masks;
        this.suite = suite;
        this.tasks = tasks;
        this.heldout = heldout;
        this.merges = merges;
        this.keep = keep;
    }

    CellResult evaluate(Cell c) {
        long start = System.nanoTime();
        Map<String, Double> id = new LinkedHashMap<>();
        Map<String, Double> ood = new LinkedHashMap<>();
        Map<String, Double> unseen = new LinkedHashMap<>();
        examples.clear();
        outcomes.clear();
        String label = c.label();
        Saliency saliency = null;
        switch (c.kind()) {
            case PRETRAINED -> {
                load(suite.pretrainedDir());
                add(suite.pretrainedScores(), id, ood);
                load(suite.pretrainedDir());
                unseen(unseen);
                label = suite.pretrainedLabel();
            }
            case INDIVIDUAL -> {
                for (String t : tasks) {
                    load(suite.taskModelDir(t));
                    add(suite.evaluate(t), id, ood);
                }
            }
            case MULTITASK -> add(suite.multiTaskScores().orElseThrow(() -> new dev.amalgam.AmalgamException(
                    suite.name() + " suite has no multi-task model")), id, ood);
            default -> saliency = merged(c, id, ood, unseen);
        }
        return new CellResult(c, label, id, ood, unseen, (System.nanoTime() - start) / 1e9, saliency,
                new LinkedHashMap<>(examples), new LinkedHashMap<>(outcomes));
    }

    private Saliency merged(Cell c, Map<String, Double> id, Map<String, Double> ood, Map<String, Double> unseen) {
        Path out = merges.resolve(c.id());
        delete(out);
        List<MergeRecipe.ModelEntry> models = new ArrayList<>();
        for (String t : tasks) {
            models.add(new MergeRecipe.ModelEntry(suite.taskModelDir(t), t, Map.of()));
        }
        MergeRecipe r = new MergeRecipe(c.label(), c.method(), suite.pretrainedDir(), models, c.params(), null, "base",
                null, 0L, c.lwptv());
        MergeJob.Options options = new MergeJob.Options(out, null, SHARD, device, false, StreamingExecutor.Progress.NONE);
        MergeMethod dataBound = dev.amalgam.merge.data.SuiteData.methodFor(r, suite, suite.name());
        MergeJob.Result res;
        if (keep) {
            res = MergeJob.runWith(r, options, dataBound);
        } else { // merged straight into memory and evaluated from there: no shards written and read back
            MemorySink memory = new MemorySink();
            res = MergeJob.runInto(r, options, dataBound, memory);
            evaluateMerged(memory, r, id, ood, unseen);
        }
        Lwptv lw = res.lwptv();
        if (keep) {
            evaluateKept(out, lw != null ? lw : res.method(), id, ood, unseen);
        }
        if (lw != null) {
            writeMasks(c, lw);
        }
        return lw == null ? null : new Saliency(lw.taskNames(), lw.layerNames(), lw.saliency());
    }

    /** Evaluates a merge kept in memory; EMR/TALL: each task on its reconstruction over the pre-trained model. */
    private void evaluateMerged(MemorySink memory, MergeRecipe r, Map<String, Double> id, Map<String, Double> ood,
                                Map<String, Double> unseen) {
        try (Checkpoint base = Checkpoints.open(r.base())) {
            score(memory.modulated(), memory::merged, t -> memory.task(t, base), id, ood, unseen);
        }
    }

    /** Evaluates a merge written to {@code out} ({@code keep: true}), which stays on disk; EMR/TALL tasks materialised. */
    private void evaluateKept(Path out, MergeMethod ran, Map<String, Double> id, Map<String, Double> ood,
                              Map<String, Double> unseen) {
        Path taskModel = merges.resolve(out.getFileName() + "-task");
        try {
            score(ran instanceof TaskModulated, () -> Checkpoints.open(out), t -> {
                delete(taskModel);
                Materializer.materialize(out, t, taskModel, null, SHARD);
                return Checkpoints.open(taskModel);
            }, id, ood, unseen);
        } finally {
            delete(taskModel);
        }
    }

    /**
     * Scores a merge: one model on every ID task and the held-out ones, or (per-task methods) each task on its own
     * model; a held-out task has no reconstruction of its own and is left empty (docs/run.md).
     */
    private void score(boolean perTask, java.util.function.Supplier<TensorSource> merged,
                       java.util.function.Function<String, TensorSource> taskModel, Map<String, Double> id,
                       Map<String, Double> ood, Map<String, Double> unseen) {
        if (perTask) {
            for (String t : tasks) {
                try (TensorSource w = taskModel.apply(t)) {
                    suite.setWeights(w);
                }
                add(suite.evaluate(t), id, ood);
            }
            heldout.forEach(h -> unseen.put(h, Double.NaN));
            return;
        }
        try (TensorSource w = merged.get()) {
            suite.setWeights(w);
        }
        for (String t : tasks) {
            add(suite.evaluate(t), id, ood);
        }
        unseen(unseen);
    }

    /** {@code masks/<id>.csv}: which task × layer entries LwPTV kept (see LwptvTables). */
    private void writeMasks(Cell c, Lwptv lw) {
        try {
            Files.createDirectories(masks);
            Files.writeString(masks.resolve(c.id() + ".csv"), LwptvTables.csv(lw, true));
        } catch (IOException e) {
            throw new dev.amalgam.AmalgamException(masks + ": cannot write LwPTV masks (" + e.getMessage() + ")");
        }
    }

    private void unseen(Map<String, Double> unseen) {
        for (String h : heldout) {
            EvaluationSuite.Scores s = suite.evaluateUnseen(h);
            unseen.put(h, s.id().getOrDefault(h, Double.NaN));
            Integer n = s.idExamples().get(h);
            if (n != null) {
                examples.put("ood:" + RunReport.UNSEEN + h, n);
            }
            if (s.outcomes().containsKey(h)) {
                outcomes.put("ood:" + RunReport.UNSEEN + h, s.outcomes().get(h));
            }
        }
    }

    private void load(Path dir) {
        try (Checkpoint c = Checkpoints.open(dir)) {
            suite.setWeights(c);
        }
    }

    private void add(EvaluationSuite.Scores s, Map<String, Double> id, Map<String, Double> ood) {
        id.putAll(s.id());
        ood.putAll(s.ood());
        examples.putAll(s.idExamples());
        s.oodExamples().forEach((k, n) -> examples.put("ood:" + k, n));
        outcomes.putAll(s.outcomes());
    }

    static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temporary merge outputs only
        }
    }
}
