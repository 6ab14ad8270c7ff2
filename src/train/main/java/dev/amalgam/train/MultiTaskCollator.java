package dev.amalgam.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizes a batch of examples from several tasks: the inputs of {@link TokenizingCollator} plus a
 * fourth array {@code task [B]} (int64) with each example's task index, as
 * {@link MultiTaskBertClassifier} expects.
 */
public final class MultiTaskCollator implements Collator<MultiTaskCollator.TaskExample> {

    /** One labelled text of task number {@code task}. */
    public record TaskExample(int task, TextExample example) {
    }

    private final TokenizingCollator text;

    public MultiTaskCollator(TokenizingCollator text) {
        this.text = text;
    }

    @Override
    public LabeledBatch collate(NDManager manager, List<TaskExample> examples) {
        List<TextExample> plain = new ArrayList<>(examples.size());
        long[] task = new long[examples.size()];
        for (int i = 0; i < task.length; i++) {
            plain.add(examples.get(i).example());
            task[i] = examples.get(i).task();
        }
        LabeledBatch b = text.collate(manager, plain);
        NDList inputs = new NDList(b.inputs());
        inputs.add(manager.create(task));
        return new LabeledBatch(inputs, b.labels());
    }
}
