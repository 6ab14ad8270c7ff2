package dev.amalgam.demo.image;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.train.AdamWNoDecayOnNorms;
import dev.amalgam.train.GradientClipping;
import dev.amalgam.train.WarmupCosineSchedule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One optimisation run over a subset of a CLIP model's parameters, with the train branch's AdamW
 * (no decay on 1-D tensors), linear warm-up + cosine schedule and global-norm clipping at 1.0.
 * Each step computes the loss in its own NDManager, closed at the end of the step.
 */
final class Optimisation implements AutoCloseable {
    private final NDManager base;
    private final List<Parameter> trainable = new ArrayList<>();
    private final AdamWNoDecayOnNorms optimizer;

    Optimisation(ClipModel model, Predicate<String> trains, float peakLr, float weightDecay, int warmup, int total) {
        this.base = model.manager();
        for (Parameter p : model.getParameters().values()) {
            boolean t = trains.test(p.getName());
            if (t) {
                trainable.add(p);
                p.getArray().setRequiresGradient(true);
            }
        }
        this.optimizer = AdamWNoDecayOnNorms.builder().schedule(new WarmupCosineSchedule(peakLr, warmup, total))
                .weightDecay(weightDecay).build();
    }

    /** One update; returns the loss before it. */
    float step(Function<NDManager, NDArray> loss) {
        float value;
        try (NDManager m = base.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.apply(m);
                gc.backward(l);
                value = l.getFloat();
            }
            List<NDArray> grads = new ArrayList<>();
            for (Parameter p : trainable) {
                grads.add(p.getArray().getGradient());
            }
            GradientClipping.clipGlobalNorm(grads, 1.0);
            for (int i = 0; i < trainable.size(); i++) {
                Parameter p = trainable.get(i);
                optimizer.update(p.getId(), p.getArray(), grads.get(i));
            }
            grads.forEach(NDArray::close);
        }
        return value;
    }

    @Override
    public void close() {
        optimizer.close();
        for (Parameter p : trainable) {
            p.getArray().setRequiresGradient(false);
        }
    }
}
