package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test "pretrained model": an embedding table (backbone, HF-style name {@code embeddings.weight})
 * averaged over unmasked tokens, then a linear head {@code classifier.*}. Takes the tokenizer's
 * {@code input_ids, attention_mask, token_type_ids}.
 */
final class BagOfWordsModel extends AbstractBlock implements TrainableModel {
    private final Parameter table;
    private final Parameter weight;
    private final Parameter bias;

    BagOfWordsModel(int vocab, int hidden, int classes, NDManager manager) {
        table = addParameter(Parameter.builder().setName("embeddings.weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocab, hidden)).optInitializer(new NormalInitializer(0.5f)).build());
        weight = addParameter(Parameter.builder().setName("classifier.weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(classes, hidden)).optInitializer(new NormalInitializer(0.1f)).build());
        bias = addParameter(Parameter.builder().setName("classifier.bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(classes)).optInitializer(new NormalInitializer(0.01f)).build());
        initialize(manager, DataType.FLOAT32, new Shape(1, 4));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false).expandDims(-1);
        NDArray e = Embedding.embedding(ids, ps.getValue(table, ids.getDevice(), training), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray mean = e.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).clip(1f, Float.MAX_VALUE));
        return Linear.linear(mean, ps.getValue(weight, ids.getDevice(), training),
                ps.getValue(bias, ids.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), weight.getShape().get(0))};
    }

    @Override
    public ai.djl.nn.Block block() {
        return this;
    }

    @Override
    public Map<String, Parameter> backboneParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("embeddings.weight", table);
        return m;
    }

    @Override
    public Map<String, Parameter> headParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("classifier.weight", weight);
        m.put("classifier.bias", bias);
        return m;
    }
}
