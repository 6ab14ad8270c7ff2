package dev.amalgam.gpu;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.clip.ClipConfig;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.gpt2.Gpt2Config;
import dev.amalgam.model.gpt2.Gpt2Model;
import dev.amalgam.model.llama.LlamaConfig;
import dev.amalgam.model.llama.LlamaModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * (c1) Forward parity: tiny CLIP, BERT, GPT-2 and Llama models with the same seeded weights and inputs on
 * the reference device and on the device under test; every output compared element by element.
 */
public final class ForwardParity {
    public static final double LIMIT = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 14;

    private ForwardParity() {
    }

    /** One row per model: max |test − reference| over all outputs. */
    public static void run(Device reference, Device test, CheckTable table) {
        for (Map.Entry<String, Function<NDManager, NDList>> m : models().entrySet()) {
            double diff;
            try {
                diff = maxAbsDiff(m.getValue(), reference, test);
            } catch (RuntimeException e) {
                table.add(CheckTable.Row.error("c1 forward", m.getKey(), e));
                continue;
            }
            table.add(new CheckTable.Row("c1 forward", m.getKey(), "max abs(" + GpuCheck.label(test) + " − " + GpuCheck.label(reference) + ")", diff,
                    "1e-4", diff <= LIMIT, "F32, seeded weights and inputs"));
        }
    }

    /** Runs {@code forward} on both devices, each in its own manager; the largest element-wise difference. */
    static double maxAbsDiff(Function<NDManager, NDList> forward, Device reference, Device test) {
        try (NDManager a = NDManager.newBaseManager(reference); NDManager b = NDManager.newBaseManager(test)) {
            NDList ra = forward.apply(a);
            NDList rb = forward.apply(b);
            double max = 0;
            for (int i = 0; i < ra.size(); i++) {
                float[] x = ra.get(i).toType(DataType.FLOAT32, false).toFloatArray();
                float[] y = rb.get(i).toDevice(reference, false).toType(DataType.FLOAT32, false).toFloatArray();
                if (x.length != y.length) {
                    return Double.POSITIVE_INFINITY;
                }
                for (int k = 0; k < x.length; k++) {
                    double d = Math.abs((double) x[k] - y[k]);
                    max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
                }
            }
            return max;
        }
    }

    /** The four tiny models, each a function from a manager (its device) to its outputs. */
    static Map<String, Function<NDManager, NDList>> models() {
        Map<String, Function<NDManager, NDList>> m = new LinkedHashMap<>();
        m.put("CLIP (tiny, quick_gelu)", ForwardParity::clip);
        m.put("BERT (tiny)", ForwardParity::bert);
        m.put("GPT-2 (tiny)", ForwardParity::gpt2);
        m.put("Llama (tiny, GQA)", ForwardParity::llama);
        return m;
    }

    static NDList clip(NDManager m) {
        HfConfig cfg = new HfConfig(clipConfig(32, 8, 32, 64, 2, 4), "gpu-check clip");
        ClipModel model = ClipModel.load(cfg, new SeededWeights(ClipModel.declare(ClipConfig.from(cfg)).shapes(), SEED), m);
        NDArray pixels = m.create(inputs(2 * 3 * 32 * 32, 1), new Shape(2, 3, 32, 32));
        NDArray ids = m.create(new long[] {0, 5, 17, 42, 9, 2, 1, 1, 0, 33, 61, 7, 88, 12, 3, 2}, new Shape(2, 8));
        NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 8));
        return model.forward(model.ownWeights(), new NDList(pixels, ids, mask));
    }

    static NDList bert(NDManager m) {
        BertConfig cfg = new BertConfig(32, 2, 4, 64, 100, 16, 2, 1e-12, 0.1, 0.1);
        SeededWeights w = new SeededWeights(Map.of(), SEED);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : cfg.weightShapes(true).entrySet()) {
            Shape s = new Shape(e.getValue());
            arrays.put(e.getKey(), m.create(w.values(e.getKey(), s.size()), s));
        }
        BertEncoder enc = BertEncoder.load(cfg, arrays, m);
        NDArray ids = m.create(new long[] {2, 15, 27, 63, 8, 3, 0, 0, 2, 44, 91, 5, 6, 7, 19, 3}, new Shape(2, 8));
        NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 8));
        NDArray types = m.zeros(new Shape(2, 8), DataType.INT64);
        return enc.forward(ids, mask, types);
    }

    static NDList gpt2(NDManager m) {
        ObjectNode c = JSON.createObjectNode().put("model_type", "gpt2").put("vocab_size", 100).put("n_embd", 32)
                .put("n_layer", 2).put("n_head", 4).put("n_positions", 32).put("activation_function", "gelu_new")
                .put("layer_norm_epsilon", 1e-5).put("tie_word_embeddings", true).put("eos_token_id", 99);
        HfConfig cfg = new HfConfig(c, "gpu-check gpt2");
        Gpt2Model model = Gpt2Model.load(cfg, new SeededWeights(Gpt2Model.declare(Gpt2Config.from(cfg)).shapes(), SEED), m);
        return model.forward(model.ownWeights(), new NDList(tokens(m)));
    }

    static NDList llama(NDManager m) {
        ObjectNode c = JSON.createObjectNode().put("model_type", "llama").put("vocab_size", 100).put("hidden_size", 32)
                .put("intermediate_size", 64).put("num_hidden_layers", 2).put("num_attention_heads", 4)
                .put("num_key_value_heads", 2).put("max_position_embeddings", 64).put("rms_norm_eps", 1e-6)
                .put("rope_theta", 10000.0).put("hidden_act", "silu").put("tie_word_embeddings", false)
                .put("bos_token_id", 1).put("eos_token_id", 2);
        HfConfig cfg = new HfConfig(c, "gpu-check llama");
        LlamaModel model = LlamaModel.load(cfg, new SeededWeights(LlamaModel.declare(LlamaConfig.from(cfg)).shapes(), SEED), m);
        return model.forward(model.ownWeights(), new NDList(tokens(m)));
    }

    private static NDArray tokens(NDManager m) {
        return m.create(new long[] {1, 15, 27, 63, 8, 3, 71, 50, 1, 44, 91, 5, 6, 7, 19, 3}, new Shape(2, 8));
    }

    /** A HF CLIPConfig with equal towers: hidden h, patch p, image side s, MLP ff, layers, heads. */
    static ObjectNode clipConfig(int s, int p, int h, int ff, int layers, int heads) {
        ObjectNode c = JSON.createObjectNode().put("model_type", "clip").put("projection_dim", 24);
        for (String tower : List.of("vision_config", "text_config")) {
            ObjectNode t = c.putObject(tower).put("hidden_size", h).put("intermediate_size", ff)
                    .put("num_hidden_layers", layers).put("num_attention_heads", heads).put("hidden_act", "quick_gelu");
            if (tower.equals("vision_config")) {
                t.put("image_size", s).put("patch_size", p);
            } else {
                t.put("vocab_size", 100).put("max_position_embeddings", 16).put("eos_token_id", 2);
            }
        }
        return c;
    }

    /** Seeded inputs, uniform in (−1.7, 1.7). */
    static float[] inputs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() - 0.5) * 3.4);
        }
        return v;
    }
}
