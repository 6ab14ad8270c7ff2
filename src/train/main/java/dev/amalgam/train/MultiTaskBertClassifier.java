package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.model.bert.BertClassifierHead;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertPooling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One BERT encoder shared by several classification tasks, one linear head per task (the multi-task
 * baseline of the merging papers). Inputs: {@code input_ids, attention_mask, token_type_ids} and a
 * fourth array {@code task [B]} (int64, the task index of each example). Each example gets the
 * logits of its own task's head, right-padded with {@link #MASKED} to the largest class count, so a
 * batch may mix tasks and the usual softmax cross-entropy / argmax apply: the padded classes get
 * zero probability and are never predicted. Heads are saved as {@code <task>.classifier.weight/bias}.
 */
public final class MultiTaskBertClassifier extends AbstractBlock implements TrainableModel {
    /** Logit of the classes a task does not have. */
    public static final float MASKED = -1e4f;

    private final BertEncoder encoder;
    private final BertSequenceClassifier.Pooling pooling;
    private final float dropout;
    private final List<String> tasks;
    private final List<BertClassifierHead> heads = new ArrayList<>();
    private final int[] classes;
    private final int maxClasses;
    private final Map<String, Parameter> backbone = new LinkedHashMap<>();
    private final Map<String, Parameter> headParams = new LinkedHashMap<>();

    /** @param classesPerTask task name → number of classes; its iteration order gives the task indices (use an ordered map) */
    public MultiTaskBertClassifier(BertEncoder encoder, Map<String, Integer> classesPerTask,
                                   BertSequenceClassifier.Pooling pooling, String namePrefix, NDManager manager) {
        if (classesPerTask.isEmpty()) {
            throw new AmalgamException("a multi-task model needs at least one task");
        }
        this.encoder = addChildBlock("bert", encoder);
        this.pooling = pooling;
        this.dropout = (float) encoder.config().hiddenDropout();
        this.tasks = List.copyOf(classesPerTask.keySet());
        int hidden = encoder.config().hiddenSize();
        classes = new int[tasks.size()];
        int max = 0;
        for (int t = 0; t < tasks.size(); t++) {
            classes[t] = classesPerTask.get(tasks.get(t));
            max = Math.max(max, classes[t]);
            BertClassifierHead head = addChildBlock("head" + t, new BertClassifierHead(hidden, classes[t]));
            head.initialize(manager, DataType.FLOAT32, new Shape(1, hidden));
            heads.add(head);
            String task = tasks.get(t);
            head.getParameters().forEach(p -> headParams.put(task + "." + p.getValue().getName(), p.getValue()));
        }
        maxClasses = max;
        for (String name : encoder.parameterNames()) {
            backbone.put(namePrefix + name, encoder.getParameters().get(name));
        }
    }

    /** Loads the shared encoder from a BERT model directory and initialises one head per task. */
    public static MultiTaskBertClassifier open(Path modelDir, Map<String, Integer> classesPerTask,
                                               BertSequenceClassifier.Pooling pooling, NDManager manager) {
        BertConfig config = BertConfig.read(modelDir.resolve("config.json"));
        try (Checkpoint weights = Checkpoints.open(modelDir)) {
            String prefix = !weights.contains("embeddings.word_embeddings.weight")
                    && weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
            BertEncoder enc = BertEncoder.load(config, weights, manager);
            return new MultiTaskBertClassifier(enc, classesPerTask, pooling, prefix, manager);
        }
    }

    public List<String> tasks() {
        return tasks;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (inputs.size() != 4) {
            throw new IllegalArgumentException("expected input_ids, attention_mask, token_type_ids, task; got "
                    + inputs.size() + " arrays");
        }
        NDList out = encoder.forward(ps, new NDList(inputs.get(0), inputs.get(1), inputs.get(2)), training);
        NDArray sentence = switch (pooling) {
            case AUTO -> encoder.hasPooler() ? out.get(1) : BertPooling.mean(out.get(0), inputs.get(1));
            case CLS -> out.get(0).get(":, 0, :");
            case MEAN -> BertPooling.mean(out.get(0), inputs.get(1));
        };
        if (training && dropout > 0) {
            sentence = Dropout.dropout(sentence, dropout, true).singletonOrThrow();
        }
        long batch = sentence.getShape().get(0);
        NDArray select = inputs.get(3).oneHot(tasks.size()).toType(DataType.FLOAT32, false); // [B, T]
        NDArray logits = null;
        for (int t = 0; t < heads.size(); t++) {
            NDArray own = heads.get(t).forward(ps, new NDList(sentence), training).singletonOrThrow();
            if (classes[t] < maxClasses) {
                own = own.concat(sentence.getManager().full(new Shape(batch, maxClasses - classes[t]), MASKED), 1);
            }
            NDArray part = own.mul(select.get(":, " + t + ":" + (t + 1)));
            logits = logits == null ? part : logits.add(part);
        }
        return new NDList(logits);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // the encoder arrives loaded and every head is initialised in the constructor
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), maxClasses)};
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public Map<String, Parameter> backboneParameters() {
        return backbone;
    }

    @Override
    public Map<String, Parameter> headParameters() {
        return headParams;
    }
}
