package dev.amalgam.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.cli.Main;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.model.bert.BertConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam finetune} on a tiny random BERT checkpoint: learns the toy task, saves names the base has. */
@Tag("slow") // fine-tunes a BERT end to end, twice for reproducibility
class BertFineTuningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void finetunesTinyBertAndKeepsCheckpointNames() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("tiny-bert"));
        int vocab = ToyText.writeTokenizer(base);
        String config = "{\"model_type\":\"bert\",\"hidden_size\":16,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":2,\"intermediate_size\":32,\"vocab_size\":" + vocab + ","
                + "\"max_position_embeddings\":32,\"type_vocab_size\":2,\"hidden_act\":\"gelu\","
                + "\"hidden_dropout_prob\":0.1,\"attention_probs_dropout_prob\":0.1,\"layer_norm_eps\":1e-12}";
        Files.writeString(base.resolve("config.json"), config);
        // BertForSequenceClassification-style names: "bert." prefix, with pooler (mean pooling: the toy
        // tokenizer adds no [CLS])
        Map<String, float[]> weights = writeRandomBert(base, BertConfig.fromJson(JSON.readTree(config), "test"), "bert.");
        Path suite = ToyText.writeSuite(tmp.resolve("suite"));
        Path out = tmp.resolve("ft");

        int code = Main.execute("finetune", "--model", base.toString(), "--task", suite.resolve("sentiment").toString(),
                "--out", out.toString(), "--epochs", "10", "--lr", "3e-3", "--batch-size", "16", "--seed", "1", "--pooling", "mean",
                "--quiet");
        assertEquals(0, code);

        JsonNode head = JSON.readTree(out.resolve("head.json").toFile());
        assertTrue(head.get("best_val_accuracy").asDouble() >= 0.9, head.toString());
        assertEquals(List.of("classifier.bias", "classifier.weight"),
                sortedNames(Checkpoints.open(out.resolve("head.safetensors"))));
        try (Checkpoint ft = Checkpoints.open(out)) {
            assertEquals(new ArrayList<>(new TreeMap<>(weights).keySet()), ft.names(), "same tensor names as the base");
            boolean changed = false;
            for (String name : ft.names()) {
                TensorInfo info = ft.info(name);
                assertEquals(DType.F32, info.dtype());
                float[] now = floats(ft.bytes(name));
                assertEquals(weights.get(name).length, now.length, name);
                if (name.startsWith("bert.pooler.")) {
                    assertArrayEquals(weights.get(name), now, 0f, name + ": not reached under mean pooling, untouched");
                } else {
                    changed |= !Arrays.equals(weights.get(name), now);
                }
            }
            assertTrue(changed, "fine-tuning moved the backbone");
        }
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"model_type\":\"bert\""));
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
    }

    @Test
    void sameSeedReproducesCheckpointBytesWithDropout() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("tiny-bert"));
        int vocab = ToyText.writeTokenizer(base);
        String config = "{\"model_type\":\"bert\",\"hidden_size\":16,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"intermediate_size\":32,\"vocab_size\":" + vocab + ","
                + "\"max_position_embeddings\":32,\"hidden_dropout_prob\":0.3,\"attention_probs_dropout_prob\":0.3}";
        Files.writeString(base.resolve("config.json"), config);
        writeRandomBert(base, BertConfig.fromJson(JSON.readTree(config), "test"), "");
        Path task = ToyText.writeSuite(tmp.resolve("suite")).resolve("sentiment");
        FineTuneConfig cfg = FineTuneConfig.defaults().withLearningRate(1e-3).withMaxSteps(4).withPatience(0);
        byte[][] runs = new byte[3][];
        long[] seeds = {5, 5, 6};
        for (int i = 0; i < 3; i++) {
            Path out = tmp.resolve("run" + i);
            TextFineTuning.run(base, task, out, cfg.withSeed(seeds[i]), 32, DType.F32, Map.of("pooling", "mean"),
                    FineTuneListener.NONE);
            runs[i] = Files.readAllBytes(out.resolve("model.safetensors"));
        }
        assertArrayEquals(runs[0], runs[1], "same seed, same bytes");
        assertFalse(Arrays.equals(runs[0], runs[2]), "another seed gives other weights");
    }

    @Test
    void unknownPoolingIsABadInputError() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("b"));
        ToyText.writeTokenizer(base);
        Files.writeString(base.resolve("config.json"), "{\"model_type\":\"bert\"}");
        int code = Main.execute("finetune", "--model", base.toString(), "--task",
                ToyText.writeSuite(tmp.resolve("s")).resolve("sentiment").toString(), "--out",
                tmp.resolve("o").toString(), "--pooling", "max", "--quiet");
        assertEquals(Main.EXIT_BAD_INPUT, code);
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    private static List<String> sortedNames(Checkpoint c) {
        try (c) {
            return c.names();
        }
    }

    private static float[] floats(ByteBuffer b) {
        float[] f = new float[b.remaining() / 4];
        b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    static Map<String, float[]> writeRandomBert(Path dir, BertConfig c, String prefix) {
        Random r = new Random(7);
        Map<String, float[]> weights = new TreeMap<>();
        List<TensorInfo> plan = new ArrayList<>();
        for (Map.Entry<String, long[]> e : c.weightShapes(true).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[(int) n];
            boolean gain = e.getKey().contains("LayerNorm") && e.getKey().endsWith("weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = gain ? 1f : (float) (r.nextGaussian() * 0.2);
            }
            weights.put(prefix + e.getKey(), v);
            plan.add(new TensorInfo(prefix + e.getKey(), DType.F32, e.getValue()));
        }
        Path tmpOut = dir.resolveSibling(dir.getFileName() + "-weights");
        try (ShardedWriter w = new ShardedWriter(tmpOut, plan, Long.MAX_VALUE, Map.of(), List.of())) {
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(e.getValue());
                w.write(e.getKey(), b);
            }
            w.commit();
        }
        try {
            Files.move(tmpOut.resolve(ShardedWriter.SINGLE_FILE), dir.resolve(ShardedWriter.SINGLE_FILE));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return weights;
    }
}
