package dev.amalgam.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joint fine-tuning of one backbone on several text tasks (the multi-task upper bound of model
 * merging): a shared BERT encoder with one linear head per task ({@link MultiTaskBertClassifier}),
 * trained by {@link FineTuner} on the union of the tasks' training sets, so every shuffled batch mixes
 * tasks in proportion to their sizes. Validation (early stopping, best weights) is the accuracy over
 * the union of the validation sets. One epoch is as many updates as one epoch of every single-task
 * fine-tune together. Saves the backbone like {@link TextFineTuning} and all heads in one
 * {@code head.safetensors} ({@code <task>.classifier.*}); head.json lists {@code tasks[].labels}.
 */
public final class MultiTaskFineTuning {
    private MultiTaskFineTuning() {
    }

    public static FineTuneResult run(Path modelDir, List<Path> taskDirs, Path out, FineTuneConfig cfg, int maxLength,
                                     DType dtype, Map<String, String> modelOptions, FineTuneListener listener) {
        if (maxLength < 2) {
            throw new AmalgamException("--max-length must be at least 2, got " + maxLength);
        }
        if (taskDirs.isEmpty()) {
            throw new AmalgamException("multi-task fine-tuning needs at least one task directory");
        }
        if (Files.exists(out)) {
            throw new AmalgamException(out + ": output exists (refusing to overwrite)");
        }
        List<TextTask> tasks = new ArrayList<>();
        Map<String, Integer> classes = new LinkedHashMap<>();
        List<MultiTaskCollator.TaskExample> train = new ArrayList<>();
        List<MultiTaskCollator.TaskExample> val = new ArrayList<>();
        for (Path dir : taskDirs) {
            TextTask task = TextTask.read(dir);
            if (classes.containsKey(task.name())) {
                throw new AmalgamException(dir + ": task '" + task.name() + "' is given twice");
            }
            int index = tasks.size();
            tasks.add(task);
            classes.put(task.name(), task.labels().size());
            task.train().forEach(e -> train.add(new MultiTaskCollator.TaskExample(index, e)));
            task.val().forEach(e -> val.add(new MultiTaskCollator.TaskExample(index, e)));
        }
        Engine.getInstance().setRandomSeed((int) cfg.seed()); // the heads' initialisation
        try (NDManager manager = NDManager.newBaseManager();
             TokenizingCollator text = TokenizingCollator.open(modelDir.resolve("tokenizer.json"), maxLength)) {
            MultiTaskBertClassifier model = MultiTaskBertClassifier.open(modelDir, classes,
                    BertSequenceClassifier.Pooling.parse(modelOptions.getOrDefault("pooling", "auto")), manager);
            MultiTaskCollator collator = new MultiTaskCollator(text);
            FineTuneResult r = FineTuner.fit(model, BatchSource.shuffled(train, cfg.batchSize(), collator, cfg.seed()),
                    BatchSource.sequential(val, Math.max(cfg.batchSize(), 32), collator), cfg, listener);
            Map<String, Object> head = new LinkedHashMap<>();
            List<Map<String, Object>> heads = new ArrayList<>();
            for (TextTask t : tasks) {
                heads.add(Map.of("name", t.name(), "labels", t.labels(), "train_examples", t.train().size()));
            }
            head.put("tasks", heads);
            head.put("best_val_accuracy", r.bestValAccuracy());
            head.put("best_step", r.bestStep());
            head.put("steps", r.steps());
            head.put("stopped_early", r.stoppedEarly());
            head.put("max_length", maxLength);
            head.put("model_options", modelOptions);
            head.put("training", cfg);
            CheckpointSaver.save(out, model, modelDir, dtype, head);
            return r;
        }
    }
}
