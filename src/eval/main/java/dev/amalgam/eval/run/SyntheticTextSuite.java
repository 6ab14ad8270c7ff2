package dev.amalgam.eval.run;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import dev.amalgam.io.SafetensorsHeaderWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.model.bert.BertConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A random-weight BERT classifier directory (config.json, word-level tokenizer.json, model.safetensors,
 * head.json/head.safetensors with mean pooling) and a text suite of random sentences
 * ({@code data/<task>/{test,ood}.jsonl}): input for timing and plumbing tests when no real zoo exists.
 */
public final class SyntheticTextSuite {
    public static final List<String> WORDS = List.of("the", "a", "movie", "was", "plot", "and", "good", "great",
            "bad", "awful", "fine", "poor", "long", "short", "story", "actor", "scene", "music", "very", "not");

    private SyntheticTextSuite() {
    }

    /** Writes the model into {@code modelDir} (created). */
    public static void writeModel(Path modelDir, int hidden, int layers, int heads, int intermediate, long seed) {
        int vocab = WORDS.size() + 2;
        String config = "{\"model_type\":\"bert\",\"hidden_size\":" + hidden + ",\"num_hidden_layers\":" + layers
                + ",\"num_attention_heads\":" + heads + ",\"intermediate_size\":" + intermediate + ",\"vocab_size\":"
                + vocab + ",\"max_position_embeddings\":512,\"type_vocab_size\":2,\"hidden_act\":\"gelu\","
                + "\"layer_norm_eps\":1e-12}";
        try {
            Files.createDirectories(modelDir);
            Files.writeString(modelDir.resolve("config.json"), config);
            Files.writeString(modelDir.resolve("tokenizer.json"), tokenizerJson());
            BertConfig c = BertConfig.fromJson(Json.parse(config, modelDir + "/config.json"), modelDir.toString());
            Random r = new Random(seed);
            Map<String, float[]> w = new TreeMap<>();
            Map<String, long[]> shapes = new TreeMap<>();
            for (Map.Entry<String, long[]> e : c.weightShapes(false).entrySet()) {
                long n = 1;
                for (long d : e.getValue()) {
                    n *= d;
                }
                float[] v = new float[Math.toIntExact(n)];
                boolean gain = e.getKey().contains("LayerNorm") && e.getKey().endsWith("weight");
                for (int i = 0; i < v.length; i++) {
                    v[i] = gain ? 1f : (float) (r.nextGaussian() * 0.05);
                }
                w.put(e.getKey(), v);
                shapes.put(e.getKey(), e.getValue());
            }
            writeSafetensors(modelDir.resolve("model.safetensors"), w, shapes);
            float[][] head = new float[2][hidden];
            for (float[] row : head) {
                for (int i = 0; i < hidden; i++) {
                    row[i] = (float) r.nextGaussian();
                }
            }
            writeHead(modelDir, head, new float[2], "mean");
        } catch (IOException e) {
            throw new AmalgamException(modelDir + ": cannot write synthetic model (" + e.getMessage() + ")");
        }
    }

    /** head.json (labels "0".."K-1", pooling) and head.safetensors (classifier.weight [K,H], classifier.bias [K]). */
    public static void writeHead(Path dir, float[][] weight, float[] bias, String pooling) throws IOException {
        int k = weight.length;
        int h = weight[0].length;
        float[] flat = new float[k * h];
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            System.arraycopy(weight[c], 0, flat, c * h, h);
            labels.add(Integer.toString(c));
        }
        writeSafetensors(dir.resolve("head.safetensors"), Map.of("classifier.weight", flat, "classifier.bias", bias),
                Map.of("classifier.weight", new long[] {k, h}, "classifier.bias", new long[] {k}));
        Files.writeString(dir.resolve("head.json"), Json.MAPPER.writeValueAsString(
                Map.of("labels", labels, "model_options", Map.of("pooling", pooling))));
    }

    /** {@code dataDir/<task>/{test,ood}.jsonl} with {@code perSplit} random sentences each, labels alternating. */
    public static void writeData(Path dataDir, List<String> tasks, int perSplit, long seed) {
        Random r = new Random(seed);
        try {
            for (String t : tasks) {
                Files.createDirectories(dataDir.resolve(t));
                for (String split : List.of("test", "ood")) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < perSplit; i++) {
                        List<String> words = new ArrayList<>();
                        int n = 6 + r.nextInt(20);
                        for (int j = 0; j < n; j++) {
                            words.add(WORDS.get(r.nextInt(WORDS.size())));
                        }
                        sb.append(Json.MAPPER.writeValueAsString(Map.of("text", String.join(" ", words), "label", i % 2)))
                                .append('\n');
                    }
                    Files.writeString(dataDir.resolve(t).resolve(split + ".jsonl"), sb.toString());
                }
            }
        } catch (IOException e) {
            throw new AmalgamException(dataDir + ": cannot write synthetic data (" + e.getMessage() + ")");
        }
    }

    static void writeSafetensors(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes) throws IOException {
        TreeMap<String, float[]> sorted = new TreeMap<>(tensors);
        List<TensorInfo> infos = new ArrayList<>();
        sorted.forEach((name, v) -> infos.add(new TensorInfo(name, DType.F32, shapes.get(name))));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(SafetensorsHeaderWriter.encode(infos, Map.of()));
            for (float[] v : sorted.values()) {
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                out.write(b.array());
            }
        }
    }

    private static String tokenizerJson() {
        StringBuilder v = new StringBuilder("\"[PAD]\":0,\"[UNK]\":1");
        for (int i = 0; i < WORDS.size(); i++) {
            v.append(",\"").append(WORDS.get(i)).append("\":").append(i + 2);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":[{\"id\":0,\"content\":\"[PAD]\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}],"
                + "\"normalizer\":{\"type\":\"Lowercase\"},\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + v + "},\"unk_token\":\"[UNK]\"}}";
    }
}
