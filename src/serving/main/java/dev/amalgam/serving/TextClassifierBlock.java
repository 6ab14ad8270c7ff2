package dev.amalgam.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertPooling;
import dev.amalgam.train.FineTunedHead;

import java.nio.file.Path;
import java.util.List;

/**
 * BERT encoder + the fine-tuned checkpoint's pooling + its linear head, for inference:
 * {@code [input_ids, attention_mask, token_type_ids]} → {@code [logits [B, K]]}.
 */
public final class TextClassifierBlock extends AbstractBlock implements AutoCloseable {
    private final BertEncoder encoder;
    private final String pooling;
    private final NDArray weight;
    private final NDArray bias;
    private final List<String> labels;
    private final NDManager manager;

    private TextClassifierBlock(BertEncoder encoder, FineTunedHead head, NDManager manager) {
        this.encoder = encoder;
        this.pooling = head.pooling();
        this.labels = head.labels();
        this.manager = manager;
        this.weight = manager.create(head.weight());
        this.bias = manager.create(head.bias());
        if (weight.getShape().get(1) != encoder.config().hiddenSize()) {
            throw new AmalgamException("head.safetensors: classifier.weight has " + weight.getShape().get(1)
                    + " columns, the encoder's hidden size is " + encoder.config().hiddenSize());
        }
    }

    /** Loads config.json + safetensors + head files of a fine-tuned checkpoint directory. */
    public static TextClassifierBlock load(Path dir, NDManager parent) {
        FineTunedHead head = FineTunedHead.read(dir);
        BertConfig config = BertConfig.read(dir.resolve("config.json"));
        NDManager m = parent.newSubManager();
        try (Checkpoint weights = Checkpoints.open(dir)) {
            return new TextClassifierBlock(BertEncoder.load(config, weights, m), head, m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public List<String> labels() {
        return labels;
    }

    public BertConfig config() {
        return encoder.config();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList out = encoder.forward(ps, inputs, false);
        NDArray mask = inputs.get(1);
        NDArray sentence = switch (pooling) {
            case "cls" -> BertPooling.cls(out.get(0));
            case "mean" -> BertPooling.mean(out.get(0), mask);
            default -> encoder.hasPooler() ? out.get(1) : BertPooling.mean(out.get(0), mask);
        };
        return new NDList(Linear.linear(sentence, weight, bias).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), labels.size())};
    }

    @Override
    public void close() {
        encoder.close();
        manager.close();
    }
}
