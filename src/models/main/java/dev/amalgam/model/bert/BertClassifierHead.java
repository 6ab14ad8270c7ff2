package dev.amalgam.model.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * A linear classification head on a pooled sentence embedding {@code [B, H]} giving logits
 * {@code [B, classes]}; parameters {@code classifier.weight [classes, H]} (normal, std 0.02 as
 * in BERT) and {@code classifier.bias}. Call {@code initialize} before the first forward.
 */
public final class BertClassifierHead extends AbstractBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final int classes;

    public BertClassifierHead(int hidden, int classes) {
        this.classes = classes;
        weight = addParameter(Parameter.builder().setName("classifier.weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(classes, hidden)).optInitializer(new NormalInitializer(0.02f)).build());
        bias = addParameter(Parameter.builder().setName("classifier.bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(classes)).optInitializer(new ConstantInitializer(0f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        return Linear.linear(x, ps.getValue(weight, x.getDevice(), training), ps.getValue(bias, x.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }
}
