package dev.amalgam.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multi-task fine-tune on a tiny random BERT and two toy tasks that need different heads
 * (sentiment, 2 classes; subject, 3 classes, independent of the sentiment). The references are plain
 * Java: mean pooling of the encoder's last hidden state, each head's affine map, softmax
 * cross-entropy and argmax in doubles.
 */
@Tag("slow") // multi-task fine-tuning to convergence
class MultiTaskFineTuningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Task index order: 0 = sentiment, 1 = subject (iteration order of the map). */
    private static final Map<String, Integer> TWO_TASKS = new LinkedHashMap<>(Map.of("sentiment", 2));
    private static final String[] NEUTRAL = {"the", "a", "was", "and"};

    @TempDir
    static Path tmp;
    static Path base;
    static Path suite;

    @BeforeAll
    static void setUp() throws IOException {
        TWO_TASKS.put("subject", 3);
        base = Files.createDirectory(tmp.resolve("tiny-bert"));
        int vocab = ToyText.writeTokenizer(base);
        String config = "{\"model_type\":\"bert\",\"hidden_size\":16,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"intermediate_size\":32,\"vocab_size\":" + vocab + ","
                + "\"max_position_embeddings\":32,\"hidden_dropout_prob\":0.0,\"attention_probs_dropout_prob\":0.0}";
        Files.writeString(base.resolve("config.json"), config);
        BertFineTuningTest.writeRandomBert(base, BertConfig.fromJson(JSON.readTree(config), "test"), "");
        suite = ToyText.writeSuite(tmp.resolve("suite"));
        Path subject = Files.createDirectories(suite.resolve("subject"));
        Files.writeString(subject.resolve("labels.json"), "[\"movie\",\"plot\",\"none\"]");
        writeSubject(subject.resolve("train.jsonl"), 150, 3);
        writeSubject(subject.resolve("val.jsonl"), 60, 4);
    }

    /** Label 0: the text names the movie, 1: the plot, 2: neither; a random sentiment cue as noise. */
    private static void writeSubject(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            List<String> words = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                words.add(NEUTRAL[r.nextInt(NEUTRAL.length)]);
            }
            String[] cue = r.nextBoolean() ? ToyText.POSITIVE : ToyText.NEGATIVE;
            words.add(r.nextInt(words.size() + 1), cue[r.nextInt(cue.length)]);
            if (label < 2) {
                words.add(r.nextInt(words.size() + 1), label == 0 ? "movie" : "plot");
            }
            sb.append(JSON.writeValueAsString(Map.of("text", String.join(" ", words), "label", label))).append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    @Test
    void trainsOneHeadPerTaskOnASharedBackbone() throws IOException {
        List<Path> tasks = List.of(suite.resolve("sentiment"), suite.resolve("subject"));
        FineTuneConfig cfg = FineTuneConfig.defaults().withLearningRate(3e-3).withEpochs(8).withBatchSize(16)
                .withSeed(11).withPatience(0);
        Path out = tmp.resolve("mt");
        FineTuneResult r = MultiTaskFineTuning.run(base, tasks, out, cfg, 32, DType.F32, Map.of("pooling", "mean"),
                FineTuneListener.NONE);
        assertEquals(8 * ((160 + 150 + 15) / 16), r.steps(), "8 epochs over the union of both training sets");

        JsonNode head = JSON.readTree(out.resolve("head.json").toFile());
        assertEquals("sentiment", head.get("tasks").get(0).get("name").asText());
        assertEquals("[\"movie\",\"plot\",\"none\"]", head.get("tasks").get(1).get("labels").toString());
        try (Checkpoint heads = Checkpoints.open(out.resolve("head.safetensors"))) {
            assertEquals(List.of("sentiment.classifier.bias", "sentiment.classifier.weight", "subject.classifier.bias",
                    "subject.classifier.weight"), heads.names());
            assertEquals(List.of(3L, 16L), List.of(heads.info("subject.classifier.weight").shape()[0],
                    heads.info("subject.classifier.weight").shape()[1]));
        }

        // The heads as they were initialised: the same seed before opening the same model.
        Map<String, float[][]> initW = new LinkedHashMap<>();
        Map<String, float[]> initB = new LinkedHashMap<>();
        Engine.getInstance().setRandomSeed((int) cfg.seed());
        try (NDManager m = NDManager.newBaseManager()) {
            MultiTaskBertClassifier fresh = MultiTaskBertClassifier.open(base, TWO_TASKS,
                    BertSequenceClassifier.Pooling.MEAN, m);
            for (String t : List.of("sentiment", "subject")) {
                float[] w = fresh.headParameters().get(t + ".classifier.weight").getArray().toFloatArray();
                initW.put(t, rows(w, 16));
                initB.put(t, fresh.headParameters().get(t + ".classifier.bias").getArray().toFloatArray());
            }
        }
        for (String t : List.of("sentiment", "subject")) {
            List<TextExample> val = TextTask.read(suite.resolve(t)).val();
            FineTunedHead trained = FineTunedHead.read(out, t);
            double[][] before = features(base, val);
            double[][] after = features(out, val);
            double ceBefore = crossEntropy(before, initW.get(t), initB.get(t), val);
            double ceAfter = crossEntropy(after, trained.weight(), trained.bias(), val);
            double acc = accuracy(after, trained.weight(), trained.bias(), val);
            assertTrue(ceAfter < 0.5 * ceBefore, t + ": loss " + ceBefore + " -> " + ceAfter);
            assertTrue(acc >= 0.9, t + ": val accuracy with its own head " + acc);
        }
    }

    @Test
    void eachExampleGetsItsOwnTasksLogitsAndPaddedClassesAreMasked() throws IOException {
        List<TextExample> texts = List.of(new TextExample("the movie was GOOD", 1),
                new TextExample("a plot and sad", 1), new TextExample("bad the", 0),
                new TextExample("movie plot nice a was", 2));
        long[] task = {0, 1, 0, 1};
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager();
             TokenizingCollator tok = TokenizingCollator.open(base.resolve("tokenizer.json"), 32)) {
            MultiTaskBertClassifier model = MultiTaskBertClassifier.open(base, TWO_TASKS,
                    BertSequenceClassifier.Pooling.MEAN, m);
            List<MultiTaskCollator.TaskExample> batch = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                batch.add(new MultiTaskCollator.TaskExample((int) task[i], texts.get(i)));
            }
            assertEquals(List.of("sentiment", "subject"), model.tasks());
            LabeledBatch b = new MultiTaskCollator(tok).collate(m, batch);
            float[] logits = model.forward(new ParameterStore(m, false), b.inputs(), false).singletonOrThrow().toFloatArray();
            assertEquals(texts.size() * 3, logits.length);
            double[][] f = features(base, texts);
            String[] names = {"sentiment", "subject"};
            for (int i = 0; i < texts.size(); i++) {
                String t = names[(int) task[i]];
                float[][] w = rows(model.headParameters().get(t + ".classifier.weight").getArray().toFloatArray(), 16);
                float[] bias = model.headParameters().get(t + ".classifier.bias").getArray().toFloatArray();
                for (int c = 0; c < 3; c++) {
                    double want = c < w.length ? affine(f[i], w[c], bias[c]) : MultiTaskBertClassifier.MASKED;
                    assertEquals(want, logits[i * 3 + c], 1e-4, "example " + i + " (" + t + ") class " + c);
                }
            }
        }
    }

    @Test
    void unknownTaskHeadIsABadInputError() throws IOException {
        Path out = tmp.resolve("mt-small");
        MultiTaskFineTuning.run(base, List.of(suite.resolve("sentiment"), suite.resolve("subject")), out,
                FineTuneConfig.defaults().withMaxSteps(1).withPatience(0), 32, DType.F32, Map.of("pooling", "mean"),
                FineTuneListener.NONE);
        assertThrows(dev.amalgam.AmalgamException.class, () -> FineTunedHead.read(out, "weather"));
        assertThrows(dev.amalgam.AmalgamException.class, () -> MultiTaskFineTuning.run(base,
                List.of(suite.resolve("sentiment")), out, FineTuneConfig.defaults(), 32, DType.F32, Map.of(),
                FineTuneListener.NONE));
    }

    /** Mean over unpadded tokens of the encoder's last hidden state, in doubles. */
    private static double[][] features(Path modelDir, List<TextExample> texts) {
        BertConfig config = BertConfig.read(modelDir.resolve("config.json"));
        try (NDManager m = NDManager.newBaseManager();
             Checkpoint weights = Checkpoints.open(modelDir);
             TokenizingCollator tok = TokenizingCollator.open(modelDir.resolve("tokenizer.json"), 32)) {
            BertEncoder enc = BertEncoder.load(config, weights, m);
            LabeledBatch b = tok.collate(m, texts);
            NDList out = enc.forward(b.inputs().get(0), b.inputs().get(1), b.inputs().get(2));
            float[] h = out.get(0).toFloatArray();
            long[] mask = b.inputs().get(1).toLongArray();
            int n = texts.size();
            int len = mask.length / n;
            int hidden = h.length / (n * len);
            double[][] f = new double[n][hidden];
            for (int i = 0; i < n; i++) {
                int count = 0;
                for (int t = 0; t < len; t++) {
                    if (mask[i * len + t] == 1) {
                        count++;
                        for (int d = 0; d < hidden; d++) {
                            f[i][d] += h[(i * len + t) * hidden + d];
                        }
                    }
                }
                for (int d = 0; d < hidden; d++) {
                    f[i][d] /= count;
                }
            }
            return f;
        }
    }

    private static float[][] rows(float[] flat, int cols) {
        float[][] r = new float[flat.length / cols][cols];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(flat, i * cols, r[i], 0, cols);
        }
        return r;
    }

    private static double affine(double[] x, float[] w, float b) {
        double s = b;
        for (int d = 0; d < x.length; d++) {
            s += x[d] * w[d];
        }
        return s;
    }

    private static double crossEntropy(double[][] f, float[][] w, float[] b, List<TextExample> ex) {
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            double[] z = new double[w.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < w.length; c++) {
                z[c] = affine(f[i], w[c], b[c]);
                max = Math.max(max, z[c]);
            }
            double norm = 0;
            for (double v : z) {
                norm += Math.exp(v - max);
            }
            sum += max + Math.log(norm) - z[ex.get(i).label()];
        }
        return sum / f.length;
    }

    private static double accuracy(double[][] f, float[][] w, float[] b, List<TextExample> ex) {
        int ok = 0;
        for (int i = 0; i < f.length; i++) {
            int best = 0;
            for (int c = 1; c < w.length; c++) {
                if (affine(f[i], w[c], b[c]) > affine(f[i], w[best], b[best])) {
                    best = c;
                }
            }
            ok += best == ex.get(i).label() ? 1 : 0;
        }
        return (double) ok / f.length;
    }
}
