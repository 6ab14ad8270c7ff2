package dev.amalgam.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole update (cross-entropy, global-norm clipping, AdamW with a decaying weight and a
 * non-decaying bias, warm-up + cosine schedule) against PyTorch's torch.optim.AdamW,
 * clip_grad_norm_ and LambdaLR: src/python/make_finetune_reference.py.
 */
class FineTunerTorchReferenceTest {

    @Test
    void trajectoryMatchesTorchAdamW() throws IOException {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/train/adamw_reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        float[] x = floats(ref.get("x"));
        List<TinyMlp.Example> data = new ArrayList<>();
        for (int i = 0; i < ref.get("y").size(); i++) {
            data.add(new TinyMlp.Example(new float[] {x[3 * i], x[3 * i + 1], x[3 * i + 2]}, ref.get("y").get(i).asInt()));
        }
        FineTuneConfig cfg = FineTuneConfig.defaults().withLearningRate(ref.get("lr").asDouble())
                .withWeightDecay(ref.get("weight_decay").asDouble()).withMaxGradNorm(ref.get("max_grad_norm").asDouble())
                .withBatchSize(ref.get("batch").asInt()).withEpochs(ref.get("epochs").asInt())
                .withWarmupRatio(ref.get("warmup_ratio").asDouble()).withPatience(0);

        try (NDManager m = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(2).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Parameter weight = linear.getParameters().get("weight");
            Parameter bias = linear.getParameters().get("bias");
            weight.getArray().set(FloatBuffer.wrap(floats(ref.get("weight0"))));
            bias.getArray().set(FloatBuffer.wrap(floats(ref.get("bias0"))));
            TrainableModel model = new TrainableModel() {
                @Override
                public Block block() {
                    return linear;
                }

                @Override
                public Map<String, Parameter> backboneParameters() {
                    return Map.of("linear.weight", weight);
                }

                @Override
                public Map<String, Parameter> headParameters() {
                    return Map.of("linear.bias", bias);
                }
            };
            List<Map<String, Object>> got = new ArrayList<>();
            FineTuner.fit(model, BatchSource.sequential(data, cfg.batchSize(), TinyMlp.collator()),
                    BatchSource.sequential(data, 8, TinyMlp.collator()), cfg, new FineTuneListener() {
                        @Override
                        public void onStep(int step, float loss, float lr, double gradNorm) {
                            Map<String, Object> s = new LinkedHashMap<>();
                            s.put("loss", loss);
                            s.put("lr", lr);
                            s.put("norm", gradNorm);
                            s.put("weight", weight.getArray().toFloatArray());
                            s.put("bias", bias.getArray().toFloatArray());
                            got.add(s);
                        }
                    });
            JsonNode steps = ref.get("steps");
            assertEquals(steps.size(), got.size());
            for (int i = 0; i < steps.size(); i++) {
                JsonNode want = steps.get(i);
                Map<String, Object> s = got.get(i);
                String at = "update " + (i + 1);
                assertEquals(want.get("loss").asDouble(), (float) s.get("loss"), 1e-5, at + " loss");
                assertEquals(want.get("grad_norm").asDouble(), (double) s.get("norm"), 1e-5, at + " grad norm");
                assertEquals(want.get("lr").asDouble(), (float) s.get("lr"), 1e-7, at + " lr");
                float[] w = (float[]) s.get("weight");
                float[] b = (float[]) s.get("bias");
                for (int k = 0; k < w.length; k++) {
                    assertEquals(want.get("weight").get(k).asDouble(), w[k], 2e-5, at + " weight " + k);
                }
                for (int k = 0; k < b.length; k++) {
                    assertEquals(want.get("bias").get(k).asDouble(), b[k], 2e-5, at + " bias " + k);
                }
            }
        }
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }
}
