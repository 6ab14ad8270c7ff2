package dev.amalgam.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.amalgam.AmalgamException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Full fine-tuning of a {@link TrainableModel} on a classification task: AdamW without decay on 1-D
 * parameters, linear warm-up then cosine decay, global gradient-norm clipping, periodic validation
 * with early stopping, and restoration of the best weights at the end.
 *
 * <p>Runs are reproducible on CPU: the engine's random seed is set from the config before training
 * (dropout) and the batches of each epoch depend only on (seed, epoch). Every update allocates its
 * arrays in its own {@link NDManager}, closed at the end of the update.
 */
public final class FineTuner {
    private FineTuner() {
    }

    public static <E> FineTuneResult fit(TrainableModel model, BatchSource<E> train, BatchSource<E> val,
                                         FineTuneConfig cfg, FineTuneListener listener) {
        if (train.exampleCount() == 0) {
            throw new AmalgamException("the training set is empty");
        }
        if (val.exampleCount() == 0) {
            throw new AmalgamException("the validation set is empty");
        }
        Engine.getInstance().setRandomSeed((int) cfg.seed());
        Block block = model.block();
        List<Parameter> trainable = trainableParameters(block);
        java.util.Set<String> heads = new java.util.HashSet<>();
        model.headParameters().values().forEach(p -> heads.add(p.getId()));
        int perEpoch = train.batchesPerEpoch();
        int total = cfg.totalSteps(perEpoch);
        WarmupCosineSchedule schedule = new WarmupCosineSchedule((float) cfg.learningRate(),
                WarmupCosineSchedule.warmupSteps(cfg.warmupRatio(), total), total);
        Device device = trainable.get(0).getArray().getDevice();
        listener.onStart(total, perEpoch);

        try (AdamWNoDecayOnNorms optimizer = optimizer(model, cfg, schedule);
             Model djlModel = Model.newInstance("amalgam-finetune", device)) {
            djlModel.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {device});
            try (Trainer trainer = djlModel.newTrainer(tc)) {
                FineTuneResult result = loop(trainer, block, trainable, heads, optimizer, train, val, cfg, total, listener);
                listener.onEnd(result);
                return result;
            }
        }
    }

    private static <E> FineTuneResult loop(Trainer trainer, Block block, List<Parameter> trainable,
                                           java.util.Set<String> heads, AdamWNoDecayOnNorms optimizer, BatchSource<E> train, BatchSource<E> val,
                                           FineTuneConfig cfg, int total, FineTuneListener listener) {
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
                List<List<E>> batches = train.epoch(epoch);
                for (int b = 0; b < batches.size() && step < total; b++) {
                    float lr = optimizer.nextLearningRate();
                    long start = System.nanoTime();
                    float loss;
                    double norm;
                    try (NDManager stepManager = trainer.getManager().newSubManager()) {
                        LabeledBatch batch = train.collator().collate(stepManager, batches.get(b));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList logits = trainer.forward(batch.inputs());
                            NDArray lossArray = trainer.getLoss().evaluate(new NDList(batch.labels()), logits);
                            collector.backward(lossArray);
                            loss = lossArray.getFloat();
                        }
                        norm = clipAndUpdate(trainable, heads, optimizer, cfg.maxGradNorm(), step == 0);
                    }
                    trainNanos += System.nanoTime() - start;
                    step++;
                    losses.add(loss);
                    listener.onStep(step, loss, lr, norm);

                    boolean epochEnd = b == batches.size() - 1;
                    boolean due = cfg.evalEvery() > 0 ? step % cfg.evalEvery() == 0 : epochEnd;
                    if (!due && step < total) {
                        continue;
                    }
                    EvalPoint point = evaluate(trainer, val, step, epoch);
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
                    } else if (cfg.patience() > 0 && ++sinceBest >= cfg.patience()) {
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
        return new FineTuneResult(best, bestStep, step, stoppedEarly, List.copyOf(losses),
                List.copyOf(evaluations), step == 0 ? 0 : trainNanos / 1e9 / step);
    }

    /** Accuracy and mean cross-entropy of the model (inference mode) on every validation example. */
    public static <E> EvalPoint evaluate(Trainer trainer, BatchSource<E> val, int step, int epoch) {
        long correct = 0;
        long count = 0;
        double lossSum = 0;
        for (List<E> examples : val.epoch(0)) {
            try (NDManager m = trainer.getManager().newSubManager()) {
                LabeledBatch batch = val.collator().collate(m, examples);
                NDArray logits = trainer.evaluate(batch.inputs()).singletonOrThrow();
                NDArray predicted = logits.argMax(-1);
                NDArray labels = batch.labels().toType(predicted.getDataType(), false);
                correct += predicted.eq(labels).countNonzero().getLong();
                float meanLoss = trainer.getLoss().evaluate(new NDList(batch.labels()), new NDList(logits)).getFloat();
                lossSum += (double) meanLoss * batch.size();
                count += batch.size();
            }
        }
        return new EvalPoint(step, epoch, (double) correct / count, lossSum / count);
    }

    private static List<Parameter> trainableParameters(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " is not initialised");
            }
            if (param.requiresGradient()) {
                if (!param.getArray().hasGradient()) {
                    param.getArray().setRequiresGradient(true);
                }
                out.add(param);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("the model has no trainable parameters");
        }
        return out;
    }

    private static AdamWNoDecayOnNorms optimizer(TrainableModel model, FineTuneConfig cfg, WarmupCosineSchedule s) {
        AdamWNoDecayOnNorms.Builder b = AdamWNoDecayOnNorms.builder()
                .schedule(s)
                .weightDecay((float) cfg.weightDecay())
                .betas((float) cfg.beta1(), (float) cfg.beta2())
                .epsilon((float) cfg.epsilon());
        for (Map.Entry<String, Parameter> e : model.backboneParameters().entrySet()) {
            b.group(e.getValue().getId(), new AdamWNoDecayOnNorms.Group(1f, model.decays(e.getKey(), e.getValue())));
        }
        for (Map.Entry<String, Parameter> e : model.headParameters().entrySet()) {
            b.group(e.getValue().getId(), new AdamWNoDecayOnNorms.Group((float) cfg.headLrMultiplier(),
                    model.decays(e.getKey(), e.getValue())));
        }
        return b.build();
    }

    /**
     * Clips the gradients by global norm, then lets the optimiser update every parameter from its live
     * gradient (instead of {@code Trainer.step()}, whose parameter server copies each gradient and
     * checks them all for zeros on the first step: two extra passes over every parameter).
     *
     * <p>On the first update, parameters whose gradient is exactly zero are taken as not reached by
     * the loss (e.g. a BERT pooler under mean pooling) and dropped from {@code trainable}, so they keep
     * their pretrained values as PyTorch leaves parameters without a gradient untouched (no decay).
     * Head parameters ({@code heads}, by id) are never dropped: a multi-task model's head gets no
     * gradient from a first batch without its task.
     */
    private static double clipAndUpdate(List<Parameter> trainable, java.util.Set<String> heads,
                                        AdamWNoDecayOnNorms optimizer, double maxNorm, boolean first) {
        List<NDArray> grads = new ArrayList<>(trainable.size());
        try {
            for (Parameter p : trainable) {
                grads.add(p.getArray().getGradient());
            }
            double[] norms = GradientClipping.norms(grads);
            double norm = GradientClipping.clipGlobalNorm(grads, norms, maxNorm);
            if (!Double.isFinite(norm)) {
                throw new AmalgamException("the gradient norm is " + norm + " (non-finite): training stopped before"
                        + " the weights were updated with it; try a lower learning rate or another thread count");
            }
            for (int i = grads.size() - 1; i >= 0; i--) {
                if (first && norms[i] == 0 && !heads.contains(trainable.get(i).getId())) {
                    trainable.remove(i);
                    continue;
                }
                Parameter p = trainable.get(i);
                optimizer.update(p.getId(), p.getArray(), grads.get(i));
            }
            return norm;
        } finally {
            grads.forEach(NDArray::close);
        }
    }
}
