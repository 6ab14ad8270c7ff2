package dev.amalgam.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A test model: "encoder" Linear(hidden) + ReLU as backbone, "classifier" Linear(classes) as head. */
final class TinyMlp implements TrainableModel, AutoCloseable {
    record Example(float[] x, int label) {
    }

    final NDManager manager = NDManager.newBaseManager();
    private final SequentialBlock block = new SequentialBlock();
    private final Map<String, Parameter> backbone = new LinkedHashMap<>();
    private final Map<String, Parameter> head = new LinkedHashMap<>();

    TinyMlp(int inputs, int hidden, int classes, int initSeed) {
        Linear encoder = Linear.builder().setUnits(hidden).build();
        Linear classifier = Linear.builder().setUnits(classes).build();
        block.add(encoder).add(Activation::relu).add(classifier);
        Engine.getInstance().setRandomSeed(initSeed);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inputs));
        encoder.getParameters().forEach(p -> backbone.put("encoder." + p.getValue().getType().name().toLowerCase(), p.getValue()));
        classifier.getParameters().forEach(p -> head.put("classifier." + p.getValue().getType().name().toLowerCase(), p.getValue()));
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public Map<String, Parameter> backboneParameters() {
        return backbone;
    }

    @Override
    public Map<String, Parameter> headParameters() {
        return head;
    }

    /** All weights, in block order, as float arrays. */
    List<float[]> weights() {
        List<float[]> out = new ArrayList<>();
        block.getParameters().forEach(p -> out.add(p.getValue().getArray().toFloatArray()));
        return out;
    }

    static Collator<Example> collator() {
        return (m, examples) -> {
            float[][] x = new float[examples.size()][];
            long[] y = new long[examples.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = examples.get(i).x();
                y[i] = examples.get(i).label();
            }
            return new LabeledBatch(new ai.djl.ndarray.NDList(m.create(x)), m.create(y));
        };
    }

    /** Points in [-1, 1]^dim labelled by the side of a fixed hyperplane, keeping a margin of 0.1. */
    static List<Example> separable(int n, int dim, long seed) {
        Random r = new Random(seed);
        float[] normal = new float[dim];
        for (int d = 0; d < dim; d++) {
            normal[d] = d % 2 == 0 ? 1f : -0.5f;
        }
        List<Example> out = new ArrayList<>();
        while (out.size() < n) {
            float[] x = new float[dim];
            double dot = 0.2;
            for (int d = 0; d < dim; d++) {
                x[d] = r.nextFloat() * 2 - 1;
                dot += x[d] * normal[d];
            }
            if (Math.abs(dot) > 0.1) {
                out.add(new Example(x, dot > 0 ? 1 : 0));
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
