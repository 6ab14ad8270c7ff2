package dev.amalgam.merge;

import dev.amalgam.io.TensorSource;

import java.util.List;

/** The pre-trained checkpoint and the T fine-tuned checkpoints of one merge, with task names. */
public record MergeInputs(TensorSource base, List<TensorSource> models, List<String> taskNames) {
    public MergeInputs {
        if (models.size() != taskNames.size()) {
            throw new IllegalArgumentException("models and task names differ in count");
        }
        models = List.copyOf(models);
        taskNames = List.copyOf(taskNames);
    }

    public int taskCount() {
        return models.size();
    }
}
