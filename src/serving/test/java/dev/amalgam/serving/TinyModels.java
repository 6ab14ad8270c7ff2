package dev.amalgam.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.SafetensorsHeaderWriter;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.model.bert.BertConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny random checkpoints for the serving tests. */
final class TinyModels {
    static final List<String> WORDS = List.of("[PAD]", "[UNK]", "the", "movie", "was", "great", "awful", "fine",
            "plot", "and", "acting", "not", "very", "good", "bad");
    static final List<String> LABELS = List.of("negative", "positive", "neutral");

    private TinyModels() {
    }

    /** A BERT fine-tuned-checkpoint directory: random encoder (with pooler), random 3-class head. */
    static Path bertClassifier(Path dir, long seed, String pooling) throws IOException {
        return bertClassifier(dir, seed, pooling, 16, 2, 2, 32);
    }

    static Path bertClassifier(Path dir, long seed, String pooling, int hidden, int layers, int heads, int ffn)
            throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + "-w");
        String config = "{\"model_type\":\"bert\",\"hidden_size\":" + hidden + ",\"num_hidden_layers\":" + layers + ","
                + "\"num_attention_heads\":" + heads + ",\"intermediate_size\":" + ffn + ",\"vocab_size\":" + WORDS.size() + ","
                + "\"max_position_embeddings\":128,\"type_vocab_size\":2,\"hidden_act\":\"gelu\","
                + "\"hidden_dropout_prob\":0.1,\"attention_probs_dropout_prob\":0.1,\"layer_norm_eps\":1e-12}";
        BertConfig c = BertConfig.fromJson(new ObjectMapper().readTree(config), "test");
        Random r = new Random(seed);
        List<TensorInfo> plan = new ArrayList<>();
        for (Map.Entry<String, long[]> e : c.weightShapes(true).entrySet()) {
            plan.add(new TensorInfo("bert." + e.getKey(), DType.F32, e.getValue()));
        }
        plan.sort(java.util.Comparator.comparing(TensorInfo::name));
        try (ShardedWriter w = new ShardedWriter(tmp, plan, Long.MAX_VALUE, Map.of(), List.of())) {
            for (TensorInfo t : plan) {
                boolean gain = t.name().contains("LayerNorm") && t.name().endsWith("weight");
                w.write(t.name(), floats(r, (int) t.numel(), gain ? 1f : Float.NaN));
            }
            w.writeFile("config.json", config.getBytes());
            w.writeFile("tokenizer.json", wordTokenizer().getBytes());
            w.commit();
        }
        Files.move(tmp, dir);
        writeHead(dir, r, hidden, pooling);
        return dir;
    }

    static void writeHead(Path dir, Random r, int hidden, String pooling) throws IOException {
        int k = LABELS.size();
        List<TensorInfo> plan = List.of(new TensorInfo("classifier.bias", DType.F32, new long[] {k}),
                new TensorInfo("classifier.weight", DType.F32, new long[] {k, hidden}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SafetensorsHeaderWriter.encode(plan, Map.of()));
        for (TensorInfo t : plan) {
            ByteBuffer b = floats(r, (int) t.numel(), Float.NaN);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.writeBytes(bytes);
        }
        Files.write(dir.resolve("head.safetensors"), out.toByteArray());
        Files.writeString(dir.resolve("head.json"), "{\"labels\":[\"negative\",\"positive\",\"neutral\"],\"num_labels\":3,"
                + "\"tensors\":[\"classifier.weight\",\"classifier.bias\"],\"model_options\":{\"pooling\":\"" + pooling + "\"}}");
    }

    /** Gaussian(0, 0.5) values, or all {@code constant} unless it is NaN. */
    static ByteBuffer floats(Random r, int n, float constant) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(Float.isNaN(constant) ? (float) (r.nextGaussian() * 0.5) : constant);
        }
        return b.flip();
    }

    /** A copy of {@code src} (HF dir) with every float tensor perturbed by N(0, sigma). */
    static Path perturbed(Path src, Path dir, long seed, double sigma) throws IOException {
        Random r = new Random(seed);
        try (Checkpoint c = Checkpoints.open(src)) {
            List<TensorInfo> plan = new ArrayList<>();
            c.names().forEach(n -> plan.add(c.info(n)));
            try (ShardedWriter w = new ShardedWriter(dir, plan, Long.MAX_VALUE, Map.of(), List.of())) {
                for (TensorInfo t : plan) {
                    ByteBuffer in = c.bytes(t.name()).duplicate().order(ByteOrder.LITTLE_ENDIAN);
                    ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                    while (in.hasRemaining()) {
                        out.putFloat(in.getFloat() + (float) (r.nextGaussian() * sigma));
                    }
                    w.write(t.name(), out.flip());
                }
                w.writeFile("config.json", Files.readAllBytes(src.resolve("config.json")));
                w.copyFile(src.resolve("tokenizer.json"));
                w.commit();
            }
        }
        return dir;
    }

    /** A word-level tokenizer.json with tokens t0 … t{n-1} (so every id of an n-token model decodes). */
    static String numberedTokenizer(int n) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < n; i++) {
            v.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(i);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,"
                + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + v + "},\"unk_token\":\"t0\"}}";
    }

    static String wordTokenizer() {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < WORDS.size(); i++) {
            v.append(i == 0 ? "" : ",").append('"').append(WORDS.get(i)).append("\":").append(i);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":[{\"id\":0,\"content\":\"[PAD]\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}],"
                + "\"normalizer\":{\"type\":\"Lowercase\"},\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + v + "},\"unk_token\":\"[UNK]\"}}";
    }
}
