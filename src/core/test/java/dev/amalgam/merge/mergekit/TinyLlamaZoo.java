package dev.amalgam.merge.mergekit;

import dev.amalgam.io.DType;
import dev.amalgam.testutil.TinyCheckpoints;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Llama-shaped checkpoints small enough for unit tests but with the layer count of MergeKit's example
 * recipes (40 decoder layers, hidden 16, vocabulary 32): a base and four fine-tunes (base + small
 * random changes), in F32 or BF16, with config.json and tokenizer files.
 */
final class TinyLlamaZoo {
    static final int LAYERS = 40;
    static final int HIDDEN = 16;
    static final int VOCAB = 32;
    static final int FFN = 24;
    static final String[] MODELS = {"base", "m1", "m2", "m3", "m4"};

    final Path dir;
    final DType dtype;
    /** model → tensor → values (as stored, i.e. already rounded to the dtype). */
    final Map<String, Map<String, float[]>> values = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();

    TinyLlamaZoo(Path dir, DType dtype) {
        this.dir = dir;
        this.dtype = dtype;
        shapes.put("model.embed_tokens.weight", new long[]{VOCAB, HIDDEN});
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "self_attn.q_proj.weight", new long[]{HIDDEN, HIDDEN});
            shapes.put(p + "self_attn.k_proj.weight", new long[]{HIDDEN / 2, HIDDEN});
            shapes.put(p + "mlp.up_proj.weight", new long[]{FFN, HIDDEN});
            shapes.put(p + "mlp.down_proj.weight", new long[]{HIDDEN, FFN});
            shapes.put(p + "input_layernorm.weight", new long[]{HIDDEN});
        }
        shapes.put("model.norm.weight", new long[]{HIDDEN});
        shapes.put("lm_head.weight", new long[]{VOCAB, HIDDEN});
        for (int m = 0; m < MODELS.length; m++) {
            TinyCheckpoints.Builder b = TinyCheckpoints.builder()
                    .config("{\"model_type\":\"llama\",\"architectures\":[\"LlamaForCausalLM\"],\"num_hidden_layers\":" + LAYERS
                            + ",\"hidden_size\":" + HIDDEN + ",\"intermediate_size\":" + FFN + ",\"vocab_size\":" + VOCAB
                            + ",\"torch_dtype\":\"" + (dtype == DType.BF16 ? "bfloat16" : "float32") + "\"}")
                    .file("tokenizer.json", tokenizerJson(VOCAB))
                    .file("tokenizer_config.json", m == 2
                            ? "{\"chat_template\":\"{% for m in messages %}{{ m.content }}{% endfor %} (m2)\"}"
                            : "{\"chat_template\":\"{% for m in messages %}{{ m.content }}{% endfor %}\"}");
            Map<String, float[]> mv = new LinkedHashMap<>();
            int i = 0;
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                long[] s = e.getValue();
                int n = (int) (s.length == 1 ? s[0] : s[0] * s[1]);
                float[] v = TinyCheckpoints.randomFloats(1000L * m + i++, n, m == 0 ? 1f : 0.05f);
                if (m > 0) {
                    float[] base = values.get("base").get(e.getKey());
                    for (int j = 0; j < n; j++) {
                        v[j] += base[j];
                    }
                }
                float[] stored = dev.amalgam.io.DTypeConversion.toFloatArray(
                        dev.amalgam.io.DTypeConversion.fromFloatArray(v, dtype), dtype);
                mv.put(e.getKey(), stored);
                b.floats(e.getKey(), dtype, s, stored);
            }
            values.put(MODELS[m], mv);
            b.writeTo(dir.resolve(MODELS[m]));
        }
    }

    /** A BPE tokenizer.json whose vocabulary is t0 … t(n−1). */
    static String tokenizerJson(int n) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < n; i++) {
            v.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(i);
        }
        return "{\"model\":{\"type\":\"BPE\",\"vocab\":{" + v + "},\"merges\":[]},\"added_tokens\":[]}";
    }

    Path path(String model) {
        return dir.resolve(model);
    }

    double[] get(String model, String tensor) {
        float[] f = values.get(model).get(tensor);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    int[] shape(String tensor) {
        long[] s = shapes.get(tensor);
        return s.length == 1 ? null : new int[]{(int) s[0], (int) s[1]};
    }

    /** MergeKit's gradient position of a tensor in a models-form merge. */
    static double t(String tensor) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^model\\.layers\\.(\\d+)\\.").matcher(tensor);
        return m.find() ? Integer.parseInt(m.group(1)) / (double) (LAYERS - 1) : 0.0;
    }
}
