package dev.amalgam.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.amalgam.AmalgamException;

import java.util.ArrayList;
import java.util.List;

/**
 * The training loop every Amalgam trainer runs on (BERT classifiers, CLIP vision fine-tuning, CLIP
 * contrastive pretraining): batches → loss → backward → global-norm clipping → {@link
 * AdamWNoDecayOnNorms} on a {@link WarmupCosineSchedule} → listener; with a validating task, periodic
 * evaluation, early stopping and restoration of the best weights at the end.
 *
 * <p>Each update allocates its arrays in its own sub-manager of {@code base}, closed at the end of the
 * update. Updates the optimiser directly from the live gradients (not through DJL's {@code
 * Trainer.step()}, whose parameter server copies every gradient and checks them all for zeros on the
 * first step: two extra passes over every parameter).
 */
public final class TrainingLoop {

    /**
     * @param totalSteps updates the run and its schedule span
     * @param warmupRatio share of {@code totalSteps} spent warming up ({@code ceil}, as transformers' {@code warmup_ratio})
     * @param maxGradNorm clip the global gradient norm to this; 0 or less only measures it
     * @param evalEvery evaluate every this many updates; 0 at the end of each epoch (validating tasks only)
     * @param patience evaluations without a better accuracy before stopping; 0 never stops early
     */
    public record Settings(int totalSteps, float peakLearningRate, double warmupRatio, float weightDecay, float beta1,
                           float beta2, float epsilon, double maxGradNorm, int evalEvery, int patience) {
        public Settings {
            if (totalSteps < 1) {
                throw new AmalgamException("the number of updates must be positive: " + totalSteps);
            }
        }

        /** AdamW (0.9, 0.999, 1e-8), clipping at 1.0, no validation: the CLIP trainers' recipe. */
        public static Settings adamW(int totalSteps, float peakLearningRate, double warmupRatio, float weightDecay) {
            return new Settings(totalSteps, peakLearningRate, warmupRatio, weightDecay, 0.9f, 0.999f, 1e-8f, 1.0, 0, 0);
        }
    }

    private TrainingLoop() {
    }

    /**
     * Trains {@code parameters} in place. Parameters whose arrays do not record gradients yet are made
     * to for the run and set back afterwards. {@code block} holds them all (for the best-weights copy).
     */
    public static <B> FineTuneResult run(TrainingTask<B> task, List<TrainedParameter> parameters, Block block,
                                         NDManager base, Settings s, FineTuneListener listener) {
        if (parameters.isEmpty()) {
            throw new IllegalStateException("the model has no trainable parameters");
        }
        List<Parameter> enabled = new ArrayList<>();
        for (TrainedParameter t : parameters) {
            if (!t.parameter().getArray().hasGradient()) {
                t.parameter().getArray().setRequiresGradient(true);
                enabled.add(t.parameter());
            }
        }
        int total = s.totalSteps();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(s.peakLearningRate(),
                WarmupCosineSchedule.warmupSteps(s.warmupRatio(), total), total);
        listener.onStart(total, task.batchesPerEpoch());
        try (AdamWNoDecayOnNorms optimizer = optimizer(parameters, s, schedule)) {
            return loop(task, new ArrayList<>(parameters), block, base, optimizer, s, listener);
        } finally {
            for (Parameter p : enabled) {
                p.getArray().setRequiresGradient(false);
            }
        }
    }

    private static <B> FineTuneResult loop(TrainingTask<B> task, List<TrainedParameter> trainable, Block block,
                                           NDManager base, AdamWNoDecayOnNorms optimizer, Settings s,
                                           FineTuneListener listener) {
        int total = s.totalSteps();
        List<Float> losses = new ArrayList<>();
        List<EvalPoint> evaluations = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        int bestStep = 0;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        long trainNanos = 0;
        int step = 0;
        WeightSnapshot bestWeights = null;
        try {
            outer:
            for (int epoch = 0; step < total; epoch++) {
                List<B> batches = task.epoch(epoch);
                if (batches.isEmpty()) {
                    throw new AmalgamException("epoch " + epoch + " of the training set has no batch");
                }
                for (int b = 0; b < batches.size() && step < total; b++) {
                    float lr = optimizer.nextLearningRate();
                    long start = System.nanoTime();
                    float loss;
                    double norm;
                    try (NDManager stepManager = base.newSubManager()) {
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray lossArray = task.loss(batches.get(b), stepManager);
                            collector.backward(lossArray);
                            loss = lossArray.getFloat();
                        }
                        norm = clipAndUpdate(trainable, optimizer, s.maxGradNorm(), step == 0);
                    }
                    trainNanos += System.nanoTime() - start;
                    step++;
                    task.afterUpdate(step);
                    losses.add(loss);
                    listener.onStep(step, loss, lr, norm);

                    if (!task.validates()) {
                        continue;
                    }
                    boolean epochEnd = b == batches.size() - 1;
                    boolean due = s.evalEvery() > 0 ? step % s.evalEvery() == 0 : epochEnd;
                    if (!due && step < total) {
                        continue;
                    }
                    EvalPoint point = task.evaluate(step, epoch);
                    evaluations.add(point);
                    boolean improved = point.accuracy() > best;
                    listener.onEvaluation(point, improved);
                    if (improved) {
                        best = point.accuracy();
                        bestStep = step;
                        sinceBest = 0;
                        if (bestWeights != null) {
                            bestWeights.close();
                        }
                        bestWeights = WeightSnapshot.of(block);
                    } else if (s.patience() > 0 && ++sinceBest >= s.patience()) {
                        stoppedEarly = true;
                        break outer;
                    }
                }
            }
            if (bestWeights != null && bestStep != step) {
                bestWeights.restoreInto(block);
            }
        } finally {
            if (bestWeights != null) {
                bestWeights.close();
            }
        }
        if (!task.validates()) {
            best = Double.NaN;
            bestStep = step;
        }
        return new FineTuneResult(best, bestStep, step, stoppedEarly, List.copyOf(losses),
                List.copyOf(evaluations), step == 0 ? 0 : trainNanos / 1e9 / step);
    }

    private static AdamWNoDecayOnNorms optimizer(List<TrainedParameter> parameters, Settings s,
                                                 WarmupCosineSchedule schedule) {
        AdamWNoDecayOnNorms.Builder b = AdamWNoDecayOnNorms.builder()
                .schedule(schedule)
                .weightDecay(s.weightDecay())
                .betas(s.beta1(), s.beta2())
                .epsilon(s.epsilon());
        for (TrainedParameter t : parameters) {
            b.group(t.parameter().getId(), t.group());
        }
        return b.build();
    }

    /**
     * Clips the gradients by global norm, then updates every parameter from its live gradient.
     *
     * <p>On the first update, parameters whose gradient is exactly zero and that are not marked {@link
     * TrainedParameter#keepWithoutGradient()} are taken as not reached by the loss (e.g. a BERT pooler
     * under mean pooling) and dropped from {@code trainable}, so they keep their pretrained values as
     * PyTorch leaves parameters without a gradient untouched (no decay). A multi-task model's head is
     * kept: it gets no gradient from a first batch without its task.
     */
    private static double clipAndUpdate(List<TrainedParameter> trainable, AdamWNoDecayOnNorms optimizer,
                                        double maxNorm, boolean first) {
        List<NDArray> grads = new ArrayList<>(trainable.size());
        try {
            for (TrainedParameter t : trainable) {
                grads.add(t.parameter().getArray().getGradient());
            }
            double[] norms = GradientClipping.norms(grads);
            double norm = GradientClipping.clipGlobalNorm(grads, norms, maxNorm);
            if (!Double.isFinite(norm)) {
                throw new AmalgamException("the gradient norm is " + norm + " (non-finite): training stopped before"
                        + " the weights were updated with it; try a lower learning rate or another thread count");
            }
            for (int i = grads.size() - 1; i >= 0; i--) {
                TrainedParameter t = trainable.get(i);
                if (first && norms[i] == 0 && !t.keepWithoutGradient()) {
                    trainable.remove(i);
                    continue;
                }
                optimizer.update(t.parameter().getId(), t.parameter().getArray(), grads.get(i));
            }
            return norm;
        } finally {
            grads.forEach(NDArray::close);
        }
    }
}
