package dev.amalgam.bench;

import dev.amalgam.io.DType;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.DTypeConversion;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Full-size synthetic checkpoints with real architectures' tensor names and shapes, for merge
 * benchmarks: a base with N(0, 0.02²)-like weights and fine-tunes = base + small task-specific noise.
 */
public final class SyntheticCheckpoints {
    private SyntheticCheckpoints() {
    }

    /** HF CLIP ViT-B/32 vision tower (87,456,000 float parameters) + position_ids. */
    public static List<TensorInfo> clipVitB32() {
        return clipVision(768, 3072, 12, 32, 50, 512);
    }

    /**
     * An HF CLIP vision tower: width {@code d}, MLP {@code ff}, {@code layers} layers, patch side {@code patch},
     * {@code positions} = patches + 1, projection width {@code projection}; + position_ids.
     */
    public static List<TensorInfo> clipVision(int d, int ff, int layers, int patch, int positions, int projection) {
        List<TensorInfo> t = new ArrayList<>();
        String p = "vision_model.";
        t.add(f(p + "embeddings.class_embedding", d));
        t.add(f(p + "embeddings.patch_embedding.weight", d, 3, patch, patch));
        t.add(f(p + "embeddings.position_embedding.weight", positions, d));
        t.add(new TensorInfo(p + "embeddings.position_ids", DType.I64, new long[]{1, positions}));
        t.add(f(p + "pre_layrnorm.weight", d));
        t.add(f(p + "pre_layrnorm.bias", d));
        for (int i = 0; i < layers; i++) {
            String l = p + "encoder.layers." + i + ".";
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                t.add(f(l + "self_attn." + proj + ".weight", d, d));
                t.add(f(l + "self_attn." + proj + ".bias", d));
            }
            t.add(f(l + "layer_norm1.weight", d));
            t.add(f(l + "layer_norm1.bias", d));
            t.add(f(l + "mlp.fc1.weight", ff, d));
            t.add(f(l + "mlp.fc1.bias", ff));
            t.add(f(l + "mlp.fc2.weight", d, ff));
            t.add(f(l + "mlp.fc2.bias", d));
            t.add(f(l + "layer_norm2.weight", d));
            t.add(f(l + "layer_norm2.bias", d));
        }
        t.add(f(p + "post_layernorm.weight", d));
        t.add(f(p + "post_layernorm.bias", d));
        t.add(f("visual_projection.weight", projection, d));
        return t;
    }

    /** Llama-shaped decoder of about 1.1 B parameters (hidden 2048, 16 layers, GQA 32/8 heads, vocab 32000). */
    public static List<TensorInfo> llama1b() {
        return llama(16);
    }

    /**
     * The same Llama shapes with {@code layers} decoder layers: the largest tensors (embedding and
     * head, 32000 × 2048) do not change, so pools of different depth show whether memory tracks the
     * model's size or only its largest tensor.
     */
    public static List<TensorInfo> llama(int layers) {
        List<TensorInfo> t = new ArrayList<>();
        int d = 2048;
        int kv = 512;
        int ff = 8192;
        int vocab = 32000;
        t.add(f("model.embed_tokens.weight", vocab, d));
        for (int i = 0; i < layers; i++) {
            String l = "model.layers." + i + ".";
            t.add(f(l + "self_attn.q_proj.weight", d, d));
            t.add(f(l + "self_attn.k_proj.weight", kv, d));
            t.add(f(l + "self_attn.v_proj.weight", kv, d));
            t.add(f(l + "self_attn.o_proj.weight", d, d));
            t.add(f(l + "mlp.gate_proj.weight", ff, d));
            t.add(f(l + "mlp.up_proj.weight", ff, d));
            t.add(f(l + "mlp.down_proj.weight", d, ff));
            t.add(f(l + "input_layernorm.weight", d));
            t.add(f(l + "post_attention_layernorm.weight", d));
        }
        t.add(f("model.norm.weight", d));
        t.add(f("lm_head.weight", vocab, d));
        return t;
    }

    private static TensorInfo f(String name, long... shape) {
        return new TensorInfo(name, DType.F32, shape);
    }

    /**
     * Writes model {@code index} (0 = base) of a pool to {@code dir} unless it exists. Values are a
     * deterministic function of (tensor, element, index): base ~ U(-0.035, 0.035) (std ≈ 0.02),
     * fine-tune = base + U(-0.002, 0.002) scaled by a per-task factor.
     */
    public static void write(Path dir, List<TensorInfo> spec, DType dtype, int index) {
        if (Files.isDirectory(dir)) {
            return;
        }
        List<TensorInfo> plan = new ArrayList<>();
        for (TensorInfo t : spec) {
            plan.add(t.dtype().isFloat() ? t.withDtype(dtype) : t);
        }
        plan.sort(java.util.Comparator.comparing(TensorInfo::name));
        try (ShardedWriter w = new ShardedWriter(dir, plan, 5L << 30, Map.of("synthetic", "amalgam bench"), List.of())) {
            int k = 0;
            for (TensorInfo t : plan) {
                if (!t.dtype().isFloat()) {
                    ByteBuffer b = ByteBuffer.allocate((int) t.byteSize()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (long i = 0; i < t.numel(); i++) {
                        b.putLong(i);
                    }
                    w.write(t.name(), b.flip());
                    continue;
                }
                int n = Math.toIntExact(t.numel());
                float[] v = new float[n];
                SplittableRandom base = new SplittableRandom(0x5EEDL * 31 + k);
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((base.nextDouble() - 0.5) * 0.07);
                }
                if (index > 0) {
                    SplittableRandom task = new SplittableRandom(index * 1_000_003L + k);
                    float scale = 0.004f * (1 + index % 3);
                    for (int i = 0; i < n; i++) {
                        v[i] += (float) ((task.nextDouble() - 0.5) * scale);
                    }
                }
                w.write(t.name(), DTypeConversion.fromFloat32(FloatBuffer.wrap(v), dtype));
                k++;
            }
            w.writeFile("config.json", ("{\"model_type\":\"" + (spec.get(0).name().startsWith("model.") ? "llama" : "clip_vision_model")
                    + "\",\"synthetic\":true}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            w.commit();
        }
    }
}
