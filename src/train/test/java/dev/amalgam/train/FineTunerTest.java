package dev.amalgam.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FineTunerTest {
    private static final int DIM = 8;

    private static FineTuneConfig config(long seed) {
        return FineTuneConfig.defaults().withLearningRate(1e-2).withEpochs(8).withBatchSize(16).withSeed(seed)
                .withPatience(0);
    }

    private static FineTuneResult train(TinyMlp model, FineTuneConfig cfg, List<TinyMlp.Example> trainSet,
                                        List<TinyMlp.Example> valSet, FineTuneListener listener) {
        return FineTuner.fit(model,
                BatchSource.shuffled(trainSet, cfg.batchSize(), TinyMlp.collator(), cfg.seed()),
                BatchSource.sequential(valSet, 64, TinyMlp.collator()), cfg, listener);
    }

    @Test
    void learnsLinearlySeparableData() {
        List<TinyMlp.Example> data = TinyMlp.separable(400, DIM, 1);
        try (TinyMlp model = new TinyMlp(DIM, 16, 2, 7)) {
            FineTuneResult r = train(model, config(3), data.subList(0, 300), data.subList(300, 400),
                    FineTuneListener.NONE);
            assertTrue(r.bestValAccuracy() >= 0.95, "val accuracy " + r.bestValAccuracy());
            assertEquals(8 * 19, r.steps());
            assertEquals(r.steps(), r.trainLosses().size());
            assertEquals(8, r.evaluations().size(), "one evaluation per epoch");
            double first = r.trainLosses().subList(0, 10).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
            double last = r.trainLosses().subList(r.steps() - 10, r.steps()).stream()
                    .mapToDouble(Float::doubleValue).average().orElseThrow();
            assertTrue(last < first / 2, "loss " + first + " -> " + last);
        }
    }

    @Test
    void sameSeedGivesBitwiseEqualWeightsOtherSeedDiffers() {
        List<TinyMlp.Example> data = TinyMlp.separable(160, DIM, 2);
        FineTuneConfig cfg = config(11).withEpochs(2);
        List<float[]> a;
        List<float[]> b;
        List<float[]> c;
        try (TinyMlp m = new TinyMlp(DIM, 16, 2, 5)) {
            train(m, cfg, data.subList(0, 128), data.subList(128, 160), FineTuneListener.NONE);
            a = m.weights();
        }
        try (TinyMlp m = new TinyMlp(DIM, 16, 2, 5)) {
            train(m, cfg, data.subList(0, 128), data.subList(128, 160), FineTuneListener.NONE);
            b = m.weights();
        }
        try (TinyMlp m = new TinyMlp(DIM, 16, 2, 5)) {
            train(m, cfg.withSeed(12), data.subList(0, 128), data.subList(128, 160), FineTuneListener.NONE);
            c = m.weights();
        }
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f, "parameter " + i);
        }
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            differs |= !java.util.Arrays.equals(a.get(i), c.get(i));
        }
        assertTrue(differs, "another seed shuffles differently and must end elsewhere");
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresBestWeights() {
        // Validation labels are the opposite of the training rule, so validation accuracy falls as the
        // model learns: the best evaluation comes early and `patience` worse ones follow.
        List<TinyMlp.Example> data = TinyMlp.separable(400, DIM, 3);
        List<TinyMlp.Example> flipped = new ArrayList<>();
        for (TinyMlp.Example e : data.subList(300, 400)) {
            flipped.add(new TinyMlp.Example(e.x(), 1 - e.label()));
        }
        int patience = 3;
        FineTuneConfig cfg = config(4).withEpochs(20).withEvalEvery(5).withPatience(patience);
        try (TinyMlp model = new TinyMlp(DIM, 16, 2, 9)) {
            Map<Integer, List<float[]>> weightsAtEval = new HashMap<>();
            FineTuneListener spy = new FineTuneListener() {
                @Override
                public void onEvaluation(EvalPoint point, boolean improved) {
                    weightsAtEval.put(point.step(), model.weights());
                }
            };
            FineTuneResult r = train(model, cfg, data.subList(0, 300), flipped, spy);
            assertTrue(r.stoppedEarly());
            List<EvalPoint> evals = r.evaluations();
            int bestIndex = 0;
            for (int i = 1; i < evals.size(); i++) {
                if (evals.get(i).accuracy() > evals.get(bestIndex).accuracy()) {
                    bestIndex = i;
                }
            }
            assertEquals(bestIndex + 1 + patience, evals.size(), "stops exactly `patience` evaluations after the best");
            assertEquals(evals.get(bestIndex).step(), r.bestStep());
            assertEquals(evals.get(bestIndex).accuracy(), r.bestValAccuracy(), 0.0);
            assertEquals(evals.get(evals.size() - 1).step(), r.steps());
            assertTrue(r.steps() < 20 * 19);

            List<float[]> best = weightsAtEval.get(r.bestStep());
            List<float[]> last = weightsAtEval.get(r.steps());
            List<float[]> now = model.weights();
            boolean lastDiffers = false;
            for (int i = 0; i < now.size(); i++) {
                assertArrayEquals(best.get(i), now.get(i), 0f, "parameter " + i + " restored");
                lastDiffers |= !java.util.Arrays.equals(last.get(i), now.get(i));
            }
            assertTrue(lastDiffers, "the last weights were replaced");
        }
    }

    @Test
    void headLearningRateMultiplierAppliesToHeadOnly() {
        List<TinyMlp.Example> data = TinyMlp.separable(64, DIM, 4);
        FineTuneConfig cfg = config(5).withMaxSteps(3).withHeadLrMultiplier(1e-9).withWeightDecay(0);
        try (TinyMlp model = new TinyMlp(DIM, 16, 2, 3)) {
            List<float[]> before = model.weights();
            train(model, cfg, data.subList(0, 48), data.subList(48, 64), FineTuneListener.NONE);
            List<float[]> after = model.weights();
            // block order: encoder weight, encoder bias, classifier weight, classifier bias
            assertFalse(java.util.Arrays.equals(before.get(0), after.get(0)), "backbone moved");
            float[] hw0 = before.get(2);
            float[] hw1 = after.get(2);
            for (int i = 0; i < hw0.length; i++) {
                // |Adam step| <= lr_head * sqrt(1-b2^t)/(1-b1^t)-ish; lr_head = 1e-11 keeps it below 1e-9
                assertEquals(hw0[i], hw1[i], 1e-9f, "head weight " + i);
            }
        }
    }
}
