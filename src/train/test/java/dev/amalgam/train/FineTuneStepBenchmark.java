package dev.amalgam.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

/** Time per update; run with {@code -Damalgam.bench=true -Dtest=FineTuneStepBenchmark}. */
@EnabledIfSystemProperty(named = "amalgam.bench", matches = "true")
class FineTuneStepBenchmark {

    @Test
    void mlpStepTime() {
        int dim = Integer.getInteger("bench.dim", 8);
        int hidden = Integer.getInteger("bench.hidden", 16);
        int batch = Integer.getInteger("bench.batch", 16);
        List<TinyMlp.Example> data = TinyMlp.separable(batch * 60 + 64, dim, 1);
        FineTuneConfig cfg = FineTuneConfig.defaults().withLearningRate(1e-3).withEpochs(1).withBatchSize(batch)
                .withPatience(0);
        try (TinyMlp model = new TinyMlp(dim, hidden, 2, 1)) {
            FineTuneResult r = FineTuner.fit(model,
                    BatchSource.shuffled(data.subList(0, batch * 60), batch, TinyMlp.collator(), 1),
                    BatchSource.sequential(data.subList(batch * 60, data.size()), 64, TinyMlp.collator()), cfg,
                    FineTuneListener.NONE);
            System.out.printf("MLP %d-%d-2, batch %d: %.2f ms per update over %d updates%n", dim, hidden, batch,
                    r.secondsPerStep() * 1e3, r.steps());
        }
    }
}
