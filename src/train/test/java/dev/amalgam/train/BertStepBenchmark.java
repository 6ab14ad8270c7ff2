package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Time per update of a 6-layer / 384-hidden BERT (all-MiniLM-L6 shape, random weights) with a 2-class
 * head at batch 16 x 64 tokens. Run with {@code -Damalgam.bench=true -Dtest=BertStepBenchmark}.
 */
@EnabledIfSystemProperty(named = "amalgam.bench", matches = "true")
class BertStepBenchmark {

    @Test
    void miniLmShapedStepTime() {
        int batch = Integer.getInteger("bench.batch", 16);
        int seq = Integer.getInteger("bench.seq", 64);
        int steps = Integer.getInteger("bench.steps", 8);
        BertConfig c = new BertConfig(384, 6, 12, 1536, 30522, 512, 2, 1e-12, 0.1, 0.1);
        Random r = new Random(1);
        List<long[]> examples = new ArrayList<>();
        for (int i = 0; i < batch * (steps + 1); i++) {
            long[] ids = new long[seq + 1];
            for (int t = 0; t < seq; t++) {
                ids[t] = 1000 + r.nextInt(20000);
            }
            ids[seq] = i % 2;
            examples.add(ids);
        }
        Collator<long[]> collate = (m, ex) -> {
            long[][] ids = new long[ex.size()][seq];
            long[] labels = new long[ex.size()];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(ex.get(i), 0, ids[i], 0, seq);
                labels[i] = ex.get(i)[seq];
            }
            NDArray idArr = m.create(ids);
            return new LabeledBatch(new NDList(idArr, m.ones(new Shape(ex.size(), seq)).toType(ai.djl.ndarray.types.DataType.INT64, false),
                    m.zeros(new Shape(ex.size(), seq), ai.djl.ndarray.types.DataType.INT64)), m.create(labels));
        };
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = new HashMap<>();
            for (var e : c.weightShapes(true).entrySet()) {
                w.put(e.getKey(), m.randomNormal(0, 0.02f, new Shape(e.getValue()), ai.djl.ndarray.types.DataType.FLOAT32));
            }
            BertEncoder enc = BertEncoder.load(c, w, m);
            BertSequenceClassifier model = new BertSequenceClassifier(enc, 2, BertSequenceClassifier.Pooling.AUTO, "", m);
            FineTuneConfig cfg = FineTuneConfig.defaults().withMaxSteps(steps).withBatchSize(batch).withPatience(0);
            FineTuneResult res = FineTuner.fit(model,
                    BatchSource.shuffled(examples.subList(0, batch * steps), batch, collate, 1),
                    BatchSource.sequential(examples.subList(batch * steps, examples.size()), batch, collate), cfg,
                    new FineTuneListener() {
                        long last = System.nanoTime();

                        @Override
                        public void onStep(int step, float loss, float lr, double norm) {
                            long now = System.nanoTime();
                            System.out.printf("step %d: %.0f ms (loss %.4f)%n", step, (now - last) / 1e6, loss);
                            last = now;
                        }
                    });
            System.out.printf("BERT 6x384, batch %d x %d tokens: %.1f ms per update (mean of %d, incl. first)%n",
                    batch, seq, res.secondsPerStep() * 1e3, res.steps());
        }
    }
}
