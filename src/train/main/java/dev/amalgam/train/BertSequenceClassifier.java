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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * BERT encoder + sentence pooling + dropout + linear head, as Hugging Face's
 * {@code BertForSequenceClassification} (pooler output) or with CLS / mean pooling; dropout with the
 * config's {@code hidden_dropout_prob} before the head. Inputs:
 * {@code input_ids, attention_mask, token_type_ids}. The backbone parameters keep the names of the
 * source checkpoint (with its {@code bert.} prefix if it had one), so the saved checkpoint lines up
 * tensor by tensor with the pretrained one for merging.
 */
public final class BertSequenceClassifier extends AbstractBlock implements TrainableModel {

    /** How the sentence vector is taken from the encoder output. */
    public enum Pooling {
        /**
         * The tanh pooler over [CLS] when the checkpoint has one (BertForSequenceClassification),
         * else the mean over unpadded tokens (sentence-transformers encoders ship without a pooler).
         */
        AUTO,
        CLS,
        MEAN;

        public static Pooling parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new AmalgamException("unknown pooling '" + s + "' (use auto, cls or mean)");
            }
        }
    }

    private final BertEncoder encoder;
    private final BertClassifierHead head;
    private final Pooling pooling;
    private final float dropout;
    private final Map<String, Parameter> backbone = new LinkedHashMap<>();
    private final Map<String, Parameter> headParams = new LinkedHashMap<>();

    public BertSequenceClassifier(BertEncoder encoder, int numLabels, Pooling pooling, String namePrefix,
                                  NDManager manager) {
        this.encoder = addChildBlock("bert", encoder);
        int hidden = encoder.config().hiddenSize();
        this.head = addChildBlock("head", new BertClassifierHead(hidden, numLabels));
        this.pooling = pooling;
        this.dropout = (float) encoder.config().hiddenDropout();
        head.initialize(manager, DataType.FLOAT32, new Shape(1, hidden));
        for (String name : encoder.parameterNames()) {
            backbone.put(namePrefix + name, encoder.getParameters().get(name));
        }
        head.getParameters().forEach(p -> headParams.put(p.getValue().getName(), p.getValue()));
    }

    /** Loads {@code config.json} + safetensors weights of a BERT model directory. */
    public static BertSequenceClassifier open(Path modelDir, int numLabels, Pooling pooling, NDManager manager) {
        BertConfig config = BertConfig.read(modelDir.resolve("config.json"));
        try (Checkpoint weights = Checkpoints.open(modelDir)) {
            String prefix = !weights.contains("embeddings.word_embeddings.weight")
                    && weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
            BertEncoder encoder = BertEncoder.load(config, weights, manager);
            return new BertSequenceClassifier(encoder, numLabels, pooling, prefix, manager);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList out = encoder.forward(ps, inputs, training);
        NDArray sentence = switch (pooling) {
            case AUTO -> encoder.hasPooler() ? out.get(1) : BertPooling.mean(out.get(0), inputs.get(1));
            case CLS -> out.get(0).get(":, 0, :");
            case MEAN -> BertPooling.mean(out.get(0), inputs.get(1));
        };
        if (training && dropout > 0) {
            sentence = Dropout.dropout(sentence, dropout, true).singletonOrThrow();
        }
        return head.forward(ps, new NDList(sentence), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // both children arrive initialised (loaded weights, head initialised in the constructor)
        if (!encoder.isInitialized()) {
            encoder.initialize(manager, dataType, inputShapes);
        }
        if (!head.isInitialized()) {
            head.initialize(manager, dataType, new Shape(1, encoder.config().hiddenSize()));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), encoder.config().hiddenSize())});
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
