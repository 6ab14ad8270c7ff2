package dev.amalgam.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.amalgam.model.gpt2.Gpt2Model;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward pass is differentiable in computed weights (what AdaMerging needs): with
 * W(λ) = W₀ + λ·Δ, d loss/dλ from autograd must match a central finite difference.
 */
class DifferentiableForwardTest {

    @Test
    void gradientThroughMergedWeightsMatchesFiniteDifference() {
        Path dir = Fixtures.dir("gpt2", "tiny");
        try (NDManager m = NDManager.newBaseManager();
             Gpt2Model model = Gpt2Model.load(HfConfig.read(dir.resolve("config.json")), Fixtures.weights(dir, m), m)) {
            m.getEngine().setRandomSeed(7);
            Map<String, NDArray> delta = new HashMap<>();
            for (String name : model.parameterNames()) {
                delta.put(name, m.randomNormal(0f, 0.02f, model.parameter(name).getShape(), DataType.FLOAT32));
            }
            NDArray ids = Fixtures.expected(dir, m).get("input_ids");
            NDArray lambda = m.create(0.3f);
            lambda.setRequiresGradient(true);
            float grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = loss(model, ids, delta, lambda);
                gc.backward(loss);
                grad = lambda.getGradient().getFloat();
            }
            double h = 1e-2;
            double fd = (loss(model, ids, delta, m.create(0.3f + (float) h)).getFloat()
                    - loss(model, ids, delta, m.create(0.3f - (float) h)).getFloat()) / (2 * h);
            System.out.printf("gradient autograd %.6f finite-difference %.6f%n", grad, fd);
            assertTrue(Math.abs(grad) > 1e-3, "non-trivial gradient");
            assertEquals(fd, grad, 1e-2 * Math.max(1, Math.abs(fd)));
        }
    }

    @Test
    @Tag("slow") // trains through DJL's Trainer
    void djlTrainerFineTunesTheBlockParameters() {
        Path dir = Fixtures.dir("gpt2", "tiny");
        try (NDManager m = NDManager.newBaseManager();
             Gpt2Model block = Gpt2Model.load(HfConfig.read(dir.resolve("config.json")), Fixtures.weights(dir, m), m);
             ai.djl.Model model = ai.djl.Model.newInstance("gpt2-tiny")) {
            model.setBlock(block);
            NDArray ids = Fixtures.expected(dir, m).get("input_ids");
            NDArray x = ids.get(":, :-1");
            NDArray y = ids.get(":, 1:");
            ai.djl.training.DefaultTrainingConfig config =
                    new ai.djl.training.DefaultTrainingConfig(ai.djl.training.loss.Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(ai.djl.training.optimizer.Optimizer.adam()
                                    .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f)).build());
            NDArray wte = block.parameter("transformer.wte.weight");
            float before = wte.getFloat(0, 0);
            float first = 0;
            float last = 0;
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(x.getShape());
                for (int step = 0; step < 20; step++) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new ai.djl.ndarray.NDList(x)).head().reshape(-1, 300);
                        NDArray loss = trainer.getLoss().evaluate(new ai.djl.ndarray.NDList(y.reshape(-1)), new ai.djl.ndarray.NDList(logits));
                        gc.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                    }
                    trainer.step();
                }
            }
            System.out.printf("trainer loss %.4f -> %.4f%n", first, last);
            assertTrue(last < 0.5 * first, "loss decreases: " + first + " -> " + last);
            assertTrue(wte.getFloat(0, 0) != before, "the block's own parameter array was updated");
        }
    }

    /** Mean log-probability of the observed next tokens under W₀ + λ·Δ. */
    private static NDArray loss(Gpt2Model model, NDArray ids, Map<String, NDArray> delta, NDArray lambda) {
        WeightLookup merged = name -> model.parameter(name).add(delta.get(name).mul(lambda));
        NDArray logp = model.logits(merged, ids, null).logSoftmax(-1);
        long t = ids.getShape().get(1);
        NDArray next = ids.get(":, 1:").expandDims(-1);
        return logp.get(":, :" + (t - 1) + ", :").gather(next, -1).mean();
    }
}
