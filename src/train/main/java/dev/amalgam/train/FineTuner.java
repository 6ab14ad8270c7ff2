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
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.amalgam.AmalgamException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full fine-tuning of a {@link TrainableModel} on a classification task, on the shared {@link
 * TrainingLoop}: AdamW without decay on 1-D parameters, linear warm-up then cosine decay, global
 * gradient-norm clipping, periodic validation with early stopping, and restoration of the best
 * weights at the end.
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
        List<TrainedParameter> parameters = groups(model, trainable, cfg);
        int total = cfg.totalSteps(train.batchesPerEpoch());
        TrainingLoop.Settings settings = new TrainingLoop.Settings(total, (float) cfg.learningRate(),
                cfg.warmupRatio(), (float) cfg.weightDecay(), (float) cfg.beta1(), (float) cfg.beta2(),
                (float) cfg.epsilon(), cfg.maxGradNorm(), cfg.evalEvery(), cfg.patience());
        Device device = trainable.get(0).getArray().getDevice();

        try (Model djlModel = Model.newInstance("amalgam-finetune", device)) {
            djlModel.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = djlModel.newTrainer(tc)) {
                FineTuneResult result = TrainingLoop.run(new Classification<>(trainer, train, val), parameters, block,
                        trainer.getManager(), settings, listener);
                listener.onEnd(result);
                return result;
            }
        }
    }

    /** Cross-entropy of a classifier run through a DJL trainer, validated on {@code val}. */
    private record Classification<E>(Trainer trainer, BatchSource<E> train, BatchSource<E> val)
            implements TrainingTask<List<E>> {
        @Override
        public List<List<E>> epoch(int epoch) {
            return train.epoch(epoch);
        }

        @Override
        public int batchesPerEpoch() {
            return train.batchesPerEpoch();
        }

        @Override
        public NDArray loss(List<E> examples, NDManager m) {
            LabeledBatch batch = train.collator().collate(m, examples);
            NDList logits = trainer.forward(batch.inputs());
            return trainer.getLoss().evaluate(new NDList(batch.labels()), logits);
        }

        @Override
        public boolean validates() {
            return true;
        }

        @Override
        public EvalPoint evaluate(int step, int epoch) {
            return FineTuner.evaluate(trainer, val, step, epoch);
        }
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

    /**
     * Backbone parameters at the backbone's learning rate, head parameters at {@code headLrMultiplier}
     * times it and kept even without a first gradient (a multi-task model's head gets none from a first
     * batch without its task); decay as the model says.
     */
    private static List<TrainedParameter> groups(TrainableModel model, List<Parameter> trainable, FineTuneConfig cfg) {
        Map<String, TrainedParameter> byId = new HashMap<>();
        for (Map.Entry<String, Parameter> e : model.backboneParameters().entrySet()) {
            byId.put(e.getValue().getId(), new TrainedParameter(e.getValue(),
                    new AdamWNoDecayOnNorms.Group(1f, model.decays(e.getKey(), e.getValue())), false));
        }
        for (Map.Entry<String, Parameter> e : model.headParameters().entrySet()) {
            byId.put(e.getValue().getId(), new TrainedParameter(e.getValue(), new AdamWNoDecayOnNorms.Group(
                    (float) cfg.headLrMultiplier(), model.decays(e.getKey(), e.getValue())), true));
        }
        List<TrainedParameter> out = new ArrayList<>();
        for (Parameter p : trainable) {
            TrainedParameter t = byId.get(p.getId());
            out.add(t != null ? t : new TrainedParameter(p, TrainedParameter.plain(p).group(), false));
        }
        return out;
    }
}
