package dev.amalgam.train;

import ai.djl.nn.Parameter;

/**
 * A parameter {@link TrainingLoop} updates, with its AdamW group. {@code keepWithoutGradient}: keep
 * updating it even when its gradient is exactly zero on the first update; otherwise such a parameter
 * is taken as not reached by the loss and left untouched for the whole run (see {@link TrainingLoop}).
 */
public record TrainedParameter(Parameter parameter, AdamWNoDecayOnNorms.Group group, boolean keepWithoutGradient) {

    /** Learning-rate multiplier 1, decayed when at least 2-D, updated whatever its first gradient. */
    public static TrainedParameter plain(Parameter p) {
        return new TrainedParameter(p, new AdamWNoDecayOnNorms.Group(1f, p.getArray().getShape().dimension() >= 2),
                true);
    }
}
