package dev.amalgam.run;

import dev.amalgam.eval.run.SyntheticTextSuite;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;

import java.io.IOException;
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
 * A tiny text suite for run tests: a random 1-layer BERT as "pre-trained", three other random BERTs
 * (with random 2-class heads) as the task "fine-tunes", and per task train/test/ood JSONL whose label
 * is a word rule (so a linear probe has something to learn).
 */
public final class TinyTextZoo {
    public static final List<String> TASKS = List.of("alpha", "beta", "gamma");
    private static final Map<String, List<String>> RULES = Map.of("alpha", List.of("good", "great"),
            "beta", List.of("bad", "awful"), "gamma", List.of("movie", "actor"));

    private TinyTextZoo() {
    }

    public static void write(Path root) throws IOException {
        SyntheticTextSuite.writeModel(root.resolve("pretrained"), 16, 1, 2, 32, 1);
        Random r = new Random(7);
        for (int i = 0; i < TASKS.size(); i++) {
            String t = TASKS.get(i);
            SyntheticTextSuite.writeModel(root.resolve("models").resolve(t), 16, 1, 2, 32, 11 + i);
            for (String split : List.of("train", "test", "ood")) {
                StringBuilder sb = new StringBuilder();
                for (int n = 0; n < (split.equals("train") ? 60 : 30); n++) {
                    List<String> words = new ArrayList<>();
                    int len = 4 + r.nextInt(8);
                    for (int w = 0; w < len; w++) {
                        words.add(SyntheticTextSuite.WORDS.get(r.nextInt(SyntheticTextSuite.WORDS.size())));
                    }
                    int label = words.stream().anyMatch(RULES.get(t)::contains) ? 1 : 0;
                    sb.append("{\"text\":\"").append(String.join(" ", words)).append("\",\"label\":").append(label).append("}\n");
                }
                Files.createDirectories(root.resolve("data").resolve(t));
                Files.writeString(root.resolve("data").resolve(t).resolve(split + ".jsonl"), sb.toString());
            }
        }
    }

    /** The suite block of a recipe placed in {@code root}. */
    public static String suiteYaml() {
        return "suite:\n  kind: text\n  pretrained: pretrained\n  data: data\n  models: {alpha: models/alpha, "
                + "beta: models/beta, gamma: models/gamma}\n";
    }

    /** An in-memory F32 tensor source (independently computed weights). */
    static TensorSource source(Map<String, float[]> values, Map<String, long[]> shapes) {
        TreeMap<String, float[]> v = new TreeMap<>(values);
        return new TensorSource() {
            @Override
            public List<String> names() {
                return new ArrayList<>(v.keySet());
            }

            @Override
            public boolean contains(String name) {
                return v.containsKey(name);
            }

            @Override
            public TensorInfo info(String name) {
                return new TensorInfo(name, DType.F32, shapes.get(name));
            }

            @Override
            public ByteBuffer bytes(String name) {
                float[] a = v.get(name);
                ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(a);
                return b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            }

            @Override
            public String describe() {
                return "independent merge";
            }

            @Override
            public void close() {
            }
        };
    }

    /** All F32 tensors of a checkpoint as float arrays. */
    static Map<String, float[]> read(TensorSource s, Map<String, long[]> shapes) {
        Map<String, float[]> out = new TreeMap<>();
        for (String n : s.names()) {
            ByteBuffer b = s.bytes(n).order(ByteOrder.LITTLE_ENDIAN);
            float[] a = new float[b.remaining() / 4];
            b.asFloatBuffer().get(a);
            out.put(n, a);
            shapes.put(n, s.info(n).shape());
        }
        return out;
    }
}
