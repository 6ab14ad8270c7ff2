package dev.amalgam.eval.run;

import dev.amalgam.train.TextExample;

import dev.amalgam.model.heads.LinearHead;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;
import dev.amalgam.report.Outcomes;
import dev.amalgam.train.FineTunedHead;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A text-classification suite: a pre-trained BERT-family encoder and its per-task fine-tunes, each task scored with
 * its own fine-tuned head on mean-pooled features; the pre-trained row uses linear probes. The demo's text half is
 * one of these, built from its zoo.
 */
public final class TextTaskSuite implements EvaluationSuite, dev.amalgam.merge.data.MergeDataProvider {
    /** Token cap per example when a recipe gives no {@code max_length} (the demo zoo's fine-tuning length). */
    public static final int DEFAULT_MAX_LENGTH = 64;

    private final Path pretrained;
    private final Map<String, Path> models;
    /** The multi-task model (backbone + {@code <task>.classifier.*} heads), or null. */
    private final Path multiTask;
    private final List<String> tasks;
    private final TextSuiteEvaluator ev;
    private final Map<String, LinearHead> heads = new LinkedHashMap<>();
    private final Path dataDir;
    private final int maxLength;
    private String title;

    /**
     * A text suite from directories: a pre-trained BERT-family encoder, {@code data/<task>/{train,test,ood}.jsonl},
     * and per task a fine-tuned classifier directory with its head (head.json/head.safetensors).
     */
    public TextTaskSuite(Path pretrainedDir, Path dataDir, Map<String, Path> taskModels, int maxLength, int evalCap) {
        this(pretrainedDir, dataDir, taskModels, null, maxLength, evalCap);
    }

    /** As above, with a multi-task model directory ({@code multiTaskDir} may be null). */
    public TextTaskSuite(Path pretrainedDir, Path dataDir, Map<String, Path> taskModels, Path multiTaskDir, int maxLength,
                         int evalCap) {
        multiTask = multiTaskDir;
        pretrained = pretrainedDir;
        this.dataDir = dataDir;
        this.maxLength = maxLength;
        models = new LinkedHashMap<>(taskModels);
        tasks = List.copyOf(models.keySet());
        for (String t : tasks) {
            heads.put(t, FineTunedHead.read(models.get(t)).toLinearHead());
        }
        ev = new TextSuiteEvaluator(pretrainedDir, dataDir, tasks, maxLength, evalCap);
    }

    /** Sets the report title (default: the encoder's folder name and the task count); returns this. */
    public TextTaskSuite titled(String reportTitle) {
        this.title = reportTitle;
        return this;
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public String title() {
        return title != null ? title : "Text suite (" + pretrained.getFileName() + ", " + tasks.size() + " tasks, ID vs OOD)";
    }

    @Override
    public List<String> tasks() {
        return tasks;
    }

    @Override
    public List<String> oodColumns() {
        return tasks;
    }

    @Override
    public Path pretrainedDir() {
        return pretrained;
    }

    @Override
    public Path taskModelDir(String task) {
        return models.get(task);
    }

    @Override
    public String pretrainedLabel() {
        return "Pre-trained (linear probe)";
    }

    @Override
    public Scores pretrainedScores() {
        List<Scores> parts = new ArrayList<>();
        for (String t : tasks) {
            parts.add(scored(t, probe(t)));
        }
        return Scores.combine(parts);
    }

    @Override
    public boolean hasMultiTaskModel() {
        return multiTask != null;
    }

    /** The multi-task model with its own per-task heads. */
    @Override
    public Optional<Scores> multiTaskScores() {
        if (multiTask == null) {
            return Optional.empty();
        }
        try (Checkpoint c = Checkpoints.open(multiTask)) {
            setWeights(c);
        }
        List<Scores> parts = new ArrayList<>();
        for (String t : tasks) {
            parts.add(scored(t, FineTunedHead.read(multiTask, t).toLinearHead()));
        }
        return Optional.of(Scores.combine(parts));
    }

    /** Linear probe fitted on the current (frozen) encoder's features of {@code task}'s train split. */
    private LinearHead probe(String task) {
        return LinearProbe.fit(ev.features(task, "train"), ev.labels(task, "train"),
                heads.get(task).numClasses(), 300, 0.05, 1e-4);
    }

    /** A held-out task is scored by a linear probe on the current encoder: its fine-tuned head belongs to weights never merged. */
    @Override
    public Scores evaluateUnseen(String task) {
        if (!heads.containsKey(task)) {
            throw new dev.amalgam.AmalgamException("text suite has no task '" + task + "'; tasks: " + tasks);
        }
        Outcomes o = ev.outcomes(task, "test", probe(task));
        return new Scores(Map.of(task, o.mean()), Map.of(), Map.of(task, o.size()), Map.of(), Map.of(task, o));
    }

    @Override
    public void setWeights(TensorSource weights) {
        ev.setWeights(weights);
    }

    @Override
    public Scores evaluate(String task) {
        return scored(task, heads.get(task));
    }

    /** ID (test) and OOD scores of {@code task} with {@code head} on the current encoder, with their per-example outcomes. */
    private Scores scored(String task, LinearHead head) {
        Outcomes id = ev.outcomes(task, "test", head);
        Outcomes ood = ev.outcomes(task, "ood", head);
        return new Scores(Map.of(task, id.mean()), Map.of(task, ood.mean()), Map.of(task, id.size()),
                Map.of(task, ood.size()), Map.of(task, id, Scores.oodKey(task), ood));
    }

    /** Each task's {@code split} sentences tokenised on demand, with the fine-tuned heads, for the data-aware merges. */
    @Override
    public dev.amalgam.merge.data.MergeData mergeData(String split) {
        dev.amalgam.train.TokenizingCollator collator = dev.amalgam.train.TokenizingCollator.open(
                pretrained.resolve("tokenizer.json"), maxLength);
        Map<String, dev.amalgam.merge.data.TaskExamples> examples = new LinkedHashMap<>();
        Map<String, dev.amalgam.train.FineTunedHead> fineTuned = new LinkedHashMap<>();
        for (String t : tasks) {
            List<dev.amalgam.train.TextExample> ex = dev.amalgam.train.TextTask.readJsonl(
                    dataDir.resolve(t).resolve(split + ".jsonl"));
            examples.put(t, new dev.amalgam.merge.data.TaskExamples() {
                public int size() {
                    return ex.size();
                }

                public ai.djl.ndarray.NDList batch(int from, int to, ai.djl.ndarray.NDManager m) {
                    dev.amalgam.train.LabeledBatch b = collator.collate(m, ex.subList(from, to));
                    b.labels().close(); // unlabeled: the merge never sees them
                    return b.inputs();
                }
            });
            fineTuned.put(t, FineTunedHead.read(models.get(t)));
        }
        return new dev.amalgam.merge.data.MergeData(dev.amalgam.merge.data.TaskHeadsModel.bert(ev.encoder(), fineTuned),
                examples, "the text suite's " + split + " split", collator);
    }

    @Override
    public void close() {
        ev.close();
    }
}
