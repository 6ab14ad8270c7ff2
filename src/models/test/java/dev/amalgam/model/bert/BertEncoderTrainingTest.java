package dev.amalgam.model.bert;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny random BERT + classifier head trains through a DJL Trainer: gradients reach the encoder weights. */
class BertEncoderTrainingTest {

    static BertConfig tiny() {
        return new BertConfig(8, 2, 2, 16, 20, 16, 2, 1e-12, 0.0, 0.0);
    }

    static Map<String, NDArray> randomWeights(BertConfig c, NDManager m, long seed) {
        Random r = new Random(seed);
        Map<String, NDArray> w = new HashMap<>();
        for (var e : c.weightShapes(false).entrySet()) {
            Shape s = new Shape(e.getValue());
            float[] v = new float[(int) s.size()];
            boolean ln = e.getKey().contains("LayerNorm");
            for (int i = 0; i < v.length; i++) {
                v[i] = ln && e.getKey().endsWith("weight") ? 1f : (float) (r.nextGaussian() * 0.2);
            }
            w.put(e.getKey(), m.create(v, s));
        }
        return w;
    }

    /** Encoder, mean pooling and head as one block for the Trainer. */
    static final class Classifier extends AbstractBlock {
        final BertEncoder encoder;
        final BertClassifierHead head;

        Classifier(BertEncoder encoder, BertClassifierHead head) {
            this.encoder = addChildBlock("bert", encoder);
            this.head = addChildBlock("head", head);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray hidden = encoder.forward(ps, in, training).head();
            return head.forward(ps, new NDList(BertPooling.mean(hidden, in.get(1))), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), 8)});
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            encoder.initialize(manager, dataType, inputShapes);
            head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 8));
        }
    }

    @Test
    void lossFallsAndEncoderWeightsGetGradients() {
        try (NDManager m = NDManager.newBaseManager(); Model model = Model.newInstance("tiny-bert")) {
            BertEncoder enc = BertEncoder.load(tiny(), randomWeights(tiny(), m, 1), m);
            Classifier net = new Classifier(enc, new BertClassifierHead(8, 2));
            model.setBlock(net);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(4, 6), new Shape(4, 6));
                NDArray ids = m.create(new long[][] {{2, 5, 7, 3, 0, 0}, {2, 9, 3, 0, 0, 0}, {2, 11, 12, 13, 3, 0},
                        {2, 4, 4, 4, 4, 3}});
                NDArray mask = ids.gt(0).toType(DataType.INT64, false);
                NDArray labels = m.create(new float[] {0, 1, 0, 1});
                String q = "encoder.layer.0.attention.self.query.weight";
                NDArray before = enc.parameter(q).duplicate();
                float first = 0;
                float last = 0;
                for (int step = 0; step < 40; step++) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(ids, mask)).head();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
                        gc.backward(loss);
                        if (step == 0) {
                            first = loss.getFloat();
                            assertTrue(enc.parameter(q).getGradient().abs().sum().getFloat() > 0,
                                    "gradient reaches the encoder");
                        }
                        last = loss.getFloat();
                    }
                    trainer.step();
                }
                assertTrue(last < first * 0.2, "loss " + first + " -> " + last);
                assertTrue(enc.parameter(q).sub(before).abs().max().getFloat() > 1e-3, "encoder weights were updated");
                for (Parameter p : enc.getDirectParameters().values()) {
                    assertTrue(p.requiresGradient(), p.getName());
                }
            }
        }
    }
}
