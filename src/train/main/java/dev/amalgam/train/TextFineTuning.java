package dev.amalgam.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole {@code amalgam finetune} job on a text task: read the task, build backbone + head from
 * the model directory, train, save the best weights as a checkpoint directory.
 */
public final class TextFineTuning {
    private TextFineTuning() {
    }

    public static FineTuneResult run(Path modelDir, Path taskDir, Path out, FineTuneConfig cfg, int maxLength,
                                     DType dtype, Map<String, String> modelOptions,
                                     FineTuneListener listener) {
        if (maxLength < 2) {
            throw new AmalgamException("--max-length must be at least 2, got " + maxLength);
        }
        if (!dtype.isFloat()) {
            throw new AmalgamException("--dtype must be a float type, got " + dtype);
        }
        CheckpointSaver.requireNewOutput(out);
        TextTask task = TextTask.read(taskDir);
        Engine.getInstance().setRandomSeed((int) cfg.seed()); // the head's initialisation
        try (NDManager manager = NDManager.newBaseManager();
             TokenizingCollator collator = TokenizingCollator.open(modelDir.resolve("tokenizer.json"), maxLength)) {
            TrainableModel model = TrainableModels.open(modelDir, task.labels().size(), modelOptions, manager);
            FineTuneResult r = FineTuner.fit(model,
                    BatchSource.shuffled(task.train(), cfg.batchSize(), collator, cfg.seed()),
                    BatchSource.sequential(task.val(), Math.max(cfg.batchSize(), 32), collator), cfg, listener);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("task", task.name());
            summary.put("best_val_accuracy", r.bestValAccuracy());
            summary.put("best_step", r.bestStep());
            summary.put("steps", r.steps());
            summary.put("stopped_early", r.stoppedEarly());
            summary.put("max_length", maxLength);
            summary.put("model_options", modelOptions);
            summary.put("training", cfg);
            CheckpointSaver.save(out, model, modelDir, dtype, task.labels(), summary);
            return r;
        }
    }
}
