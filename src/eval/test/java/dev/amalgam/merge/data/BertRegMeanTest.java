package dev.amalgam.merge.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.InMemorySink;
import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.io.ParameterBlocks;
import dev.amalgam.train.FineTunedHead;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text suite's forward pass (BERT + fine-tuned heads) under the data-aware merges. */
class BertRegMeanTest {
    private static final BertConfig TINY = new BertConfig(8, 2, 2, 16, 20, 16, 2, 1e-12, 0.0, 0.0);
    private static final int B = 5;
    private static final int T = 6;
    private static final String QUERY = "encoder.layer.0.attention.self.query.weight";

    /** Reading weights through a lookup gives what the encoder's own parameters give. */
    @Test
    void lookupForwardEqualsTheParameterForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = weights(m, new Random(3));
            BertEncoder enc = BertEncoder.load(TINY, w, m);
            NDList in = inputs(m, new Random(4));
            float[] own = enc.forward(in.get(0), in.get(1), in.get(2)).get(0).toFloatArray();
            float[] looked = enc.forward(w::get, in.get(0), in.get(1), in.get(2)).get(0).toFloatArray();
            for (int i = 0; i < own.length; i++) {
                assertEquals(own[i], looked[i], 1e-6);
            }
        }
    }

    /**
     * Layer 0's query projection merged by RegMean from the data pass equals the FusionBench transcription
     * fed Gram matrices of an independent double-precision embedding + LayerNorm computation (every token,
     * padding included, as the official hook flattens [B, T, H]).
     */
    @Test
    void firstLayerQueryMatchesTheReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(5);
            Map<String, NDArray> base = weights(m, r);
            List<Map<String, NDArray>> fts = List.of(perturb(base, r, m), perturb(base, r, m));
            List<String> tasks = List.of("a", "b");
            Map<String, NDList> data = Map.of("a", inputs(m, new Random(6)), "b", inputs(m, new Random(7)));
            Map<String, FineTunedHead> heads = new HashMap<>();
            for (String t : tasks) {
                heads.put(t, new FineTunedHead(List.of("x", "y"), new float[][] {randoms(r, 8), randoms(r, 8)}, new float[2], "mean"));
            }
            BertEncoder arch = BertEncoder.load(TINY, base, m);
            Map<String, TaskExamples> ex = new HashMap<>();
            for (String t : tasks) {
                NDList all = data.get(t);
                ex.put(t, new TaskExamples() {
                    public int size() {
                        return B;
                    }

                    public NDList batch(int from, int to, NDManager bm) {
                        NDList out = new NDList();
                        for (NDArray a : all) {
                            NDArray s = a.get(from + ":" + to).duplicate();
                            s.attach(bm);
                            out.add(s);
                        }
                        return out;
                    }
                });
            }
            RegMean method = RegMean.fromParams(MethodParams.of("regmean", "examples", B, "batch_size", 2));
            method.bind(new MergeData(TaskHeadsModel.bert(arch, heads), ex, "test sentences"));
            InMemorySink sink = new InMemorySink();
            new StreamingExecutor(Device.cpu(), ParameterBlocks::groupOf, true, StreamingExecutor.Progress.NONE)
                    .run(method, new MergeInputs(source("base", base), List.of(source("a", fts.get(0)), source("b", fts.get(1))), tasks), sink);
            List<double[][]> weights = new ArrayList<>();
            List<double[][]> grams = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                weights.add(RegMeanReference.matrix(fts.get(t).get(QUERY).toFloatArray(), 8, 8));
                grams.add(RegMeanReference.gram(embeddingRows(fts.get(t), data.get(tasks.get(t)))));
            }
            double[][] ref = RegMeanReference.merge(weights, grams, 0.95);
            float[] got = sink.merged().get(QUERY);
            double worst = 0;
            for (int o = 0; o < 8; o++) {
                for (int i = 0; i < 8; i++) {
                    worst = Math.max(worst, Math.abs(ref[o][i] - got[o * 8 + i]));
                }
            }
            assertTrue(worst < 1e-3, "max |Δ| " + worst);
        }
    }

    /** LayerNorm(word[id] + position[p] + token_type[type]) per token, in double precision. */
    private static double[][] embeddingRows(Map<String, NDArray> w, NDList in) {
        float[] word = w.get("embeddings.word_embeddings.weight").toFloatArray();
        float[] pos = w.get("embeddings.position_embeddings.weight").toFloatArray();
        float[] type = w.get("embeddings.token_type_embeddings.weight").toFloatArray();
        float[] g = w.get("embeddings.LayerNorm.weight").toFloatArray();
        float[] b = w.get("embeddings.LayerNorm.bias").toFloatArray();
        long[] ids = in.get(0).toLongArray();
        long[] types = in.get(2).toLongArray();
        double[][] rows = new double[B * T][8];
        for (int i = 0; i < B * T; i++) {
            double[] x = new double[8];
            for (int h = 0; h < 8; h++) {
                x[h] = word[(int) ids[i] * 8 + h] + pos[(i % T) * 8 + h] + type[(int) types[i] * 8 + h];
            }
            rows[i] = ClipLayerZeroInputs.layerNorm(x, g, b, 1e-12);
        }
        return rows;
    }

    private static NDList inputs(NDManager m, Random r) {
        long[] ids = new long[B * T];
        long[] mask = new long[B * T];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(20);
            mask[i] = i % T < T - (i / T) % 3 ? 1 : 0;
        }
        return new NDList(m.create(ids, new Shape(B, T)), m.create(mask, new Shape(B, T)),
                m.zeros(new Shape(B, T), DataType.INT64));
    }

    private static Map<String, NDArray> weights(NDManager m, Random r) {
        Map<String, NDArray> w = new HashMap<>();
        for (var e : TINY.weightShapes(false).entrySet()) {
            Shape s = new Shape(e.getValue());
            float[] v = new float[(int) s.size()];
            boolean lnWeight = e.getKey().contains("LayerNorm") && e.getKey().endsWith("weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = lnWeight ? 1f : (float) (r.nextGaussian() * 0.3);
            }
            w.put(e.getKey(), m.create(v, s));
        }
        return w;
    }

    private static Map<String, NDArray> perturb(Map<String, NDArray> base, Random r, NDManager m) {
        Map<String, NDArray> out = new HashMap<>();
        base.forEach((n, a) -> {
            float[] v = a.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.05 * r.nextGaussian());
            }
            out.put(n, m.create(v, a.getShape()));
        });
        return out;
    }

    private static float[] randoms(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static InMemoryTensorSource source(String label, Map<String, NDArray> w) {
        InMemoryTensorSource s = new InMemoryTensorSource(label);
        w.forEach((n, a) -> s.f32(n, a.getShape().getShape(), a.toFloatArray()));
        return s;
    }
}
