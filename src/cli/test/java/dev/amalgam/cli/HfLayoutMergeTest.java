package dev.amalgam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import dev.amalgam.merge.HfArchitectures;
import dev.amalgam.io.DTypeConversion;
import dev.amalgam.eval.run.SyntheticTextSuite;
import dev.amalgam.testutil.CliRunner;
import dev.amalgam.testutil.TinyCheckpoints;
import dev.amalgam.train.FineTunedHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Hugging Face fine-tunes merged with their base when the two were saved from different model
 * classes (issue #16): tiny checkpoints with the real tensor names of BertForSequenceClassification /
 * BertModel, CLIPVisionModelWithProjection / CLIPModel and LlamaForCausalLM / LlamaModel, merged
 * through the CLI with MergeKit's task arithmetic (weight 1), compared with a hand-computed
 * θ_0 + Σ_t (θ_t − θ_0) under the base's names; heads kept under heads/&lt;task&gt;/.
 */
class HfLayoutMergeTest {
    @TempDir
    Path tmp;

    /** Backbone names of each family, relative to the backbone, with shapes. */
    static final Map<String, long[]> BERT = shapes(
            "embeddings.word_embeddings.weight", 12, 4, "embeddings.position_embeddings.weight", 6, 4,
            "embeddings.LayerNorm.weight", 4, 0, "embeddings.LayerNorm.bias", 4, 0,
            "encoder.layer.0.attention.self.query.weight", 4, 4, "encoder.layer.0.attention.self.query.bias", 4, 0,
            "encoder.layer.0.output.dense.weight", 4, 8, "pooler.dense.weight", 4, 4, "pooler.dense.bias", 4, 0);
    static final Map<String, long[]> LLAMA = shapes(
            "embed_tokens.weight", 16, 4, "layers.0.self_attn.q_proj.weight", 4, 4, "layers.0.mlp.gate_proj.weight", 8, 4,
            "layers.0.input_layernorm.weight", 4, 0, "layers.1.self_attn.q_proj.weight", 4, 4, "norm.weight", 4, 0);
    static final Map<String, long[]> CLIP_VISION = shapes(
            "vision_model.embeddings.class_embedding", 4, 0, "vision_model.embeddings.patch_embedding.weight", 4, 12,
            "vision_model.pre_layrnorm.weight", 4, 0, "vision_model.encoder.layers.0.self_attn.q_proj.weight", 4, 4,
            "vision_model.post_layernorm.bias", 4, 0, "visual_projection.weight", 3, 4);
    static final Map<String, long[]> CLIP_TEXT = shapes(
            "text_model.embeddings.token_embedding.weight", 10, 4, "text_model.encoder.layers.0.mlp.fc1.weight", 8, 4,
            "text_model.final_layer_norm.weight", 4, 0, "text_projection.weight", 3, 4, "logit_scale", 0, 0);

    static final String BERT_MODEL = "{\"model_type\":\"bert\",\"architectures\":[\"BertModel\"],\"hidden_size\":4}";
    static final String LLAMA_MODEL = "{\"model_type\":\"llama\",\"architectures\":[\"LlamaModel\"],\"hidden_size\":4}";
    static final String LLAMA_LM = "{\"model_type\":\"llama\",\"architectures\":[\"LlamaForCausalLM\"],\"hidden_size\":4}";
    static final String CLIP_MODEL = "{\"model_type\":\"clip\",\"architectures\":[\"CLIPModel\"],\"projection_dim\":3}";
    static final String CLIP_VISION_PROJ = "{\"model_type\":\"clip_vision_model\","
            + "\"architectures\":[\"CLIPVisionModelWithProjection\"],\"projection_dim\":3}";

    static String bertClassifier(String... labels) {
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < labels.length; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"").append(labels[i]).append('"');
        }
        return "{\"model_type\":\"bert\",\"architectures\":[\"BertForSequenceClassification\"],\"hidden_size\":4,"
                + "\"id2label\":{" + id2label + "}}";
    }

    static Map<String, long[]> shapes(Object... spec) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int i = 0; i < spec.length; i += 3) {
            int a = (Integer) spec[i + 1];
            int b = (Integer) spec[i + 2];
            m.put((String) spec[i], a == 0 ? new long[0] : b == 0 ? new long[] {a} : new long[] {a, b});
        }
        return m;
    }

    /** A model in memory: name → values, name → shape. */
    record Model(Map<String, float[]> values, Map<String, long[]> shapes) {
        static Model random(Map<String, long[]> shapes, long seed, float scale) {
            Map<String, float[]> v = new LinkedHashMap<>();
            int i = 0;
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                v.put(e.getKey(), TinyCheckpoints.randomFloats(seed * 1000 + i++, numel(e.getValue()), scale));
            }
            return new Model(v, new LinkedHashMap<>(shapes));
        }

        /** This model plus a small random change of every tensor (a fine-tune). */
        Model fineTune(long seed) {
            Map<String, float[]> v = new LinkedHashMap<>();
            int i = 0;
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                float[] d = TinyCheckpoints.randomFloats(seed * 1000 + i++, e.getValue().length, 0.05f);
                for (int j = 0; j < d.length; j++) {
                    d[j] += e.getValue()[j];
                }
                v.put(e.getKey(), d);
            }
            return new Model(v, new LinkedHashMap<>(shapes));
        }

        Model renamed(UnaryOperator<String> f) {
            Map<String, float[]> v = new LinkedHashMap<>();
            Map<String, long[]> s = new LinkedHashMap<>();
            values.forEach((n, x) -> v.put(f.apply(n), x));
            shapes.forEach((n, x) -> s.put(f.apply(n), x));
            return new Model(v, s);
        }

        Model plus(Map<String, long[]> more, long seed) {
            Model extra = random(more, seed, 0.5f);
            Map<String, float[]> v = new LinkedHashMap<>(values);
            Map<String, long[]> s = new LinkedHashMap<>(shapes);
            v.putAll(extra.values());
            s.putAll(extra.shapes());
            return new Model(v, s);
        }

        Model only(java.util.function.Predicate<String> keep) {
            Map<String, float[]> v = new LinkedHashMap<>();
            Map<String, long[]> s = new LinkedHashMap<>();
            values.forEach((n, x) -> {
                if (keep.test(n)) {
                    v.put(n, x);
                    s.put(n, shapes.get(n));
                }
            });
            return new Model(v, s);
        }

        Path write(Path dir, String config) {
            return write(dir, config, b -> { });
        }

        Path write(Path dir, String config, java.util.function.Consumer<TinyCheckpoints.Builder> more) {
            TinyCheckpoints.Builder b = TinyCheckpoints.builder().file("tokenizer.json", "{\"fake\":true}");
            if (config != null) {
                b.config(config);
            }
            values.forEach((n, v) -> b.f32(n, shapes.get(n), v));
            more.accept(b);
            return b.writeTo(dir);
        }
    }

    static int numel(long[] shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        return n;
    }

    static float[] read(Path dir, String name) {
        try (Checkpoint c = Checkpoints.open(dir)) {
            return DTypeConversion.toFloatArray(c.bytes(name), c.info(name).dtype());
        }
    }

    static Set<String> names(Path dir) {
        try (Checkpoint c = Checkpoints.open(dir)) {
            return new TreeSet<>(c.names());
        }
    }

    /** θ_0 + Σ_t (θ_t − θ_0), element by element in double. */
    static float[] taskSum(float[] base, float[]... tasks) {
        float[] out = new float[base.length];
        for (int j = 0; j < base.length; j++) {
            double s = base[j];
            for (float[] t : tasks) {
                s += (double) t[j] - base[j];
            }
            out[j] = (float) s;
        }
        return out;
    }

    static void assertClose(float[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], got[j], 1e-6 * Math.max(1, Math.abs(expected[j])), what + " [" + j + "]");
        }
    }

    static CliRunner.Result merge(Path base, Path out, String method, Path... models) {
        return merge(base, out, method, List.of(), models);
    }

    static CliRunner.Result merge(Path base, Path out, String method, List<String> extra, Path... models) {
        StringBuilder ms = new StringBuilder();
        for (Path m : models) {
            ms.append(ms.length() == 0 ? "" : ",").append(m);
        }
        List<String> args = new java.util.ArrayList<>(List.of("merge", "--method", method, "--base", base.toString(),
                "--models", ms.toString(), "--param", method.equals("task_arithmetic") ? "weight=1" : "lambda=1",
                "--out", out.toString()));
        args.addAll(extra);
        return CliRunner.run(args.toArray(String[]::new));
    }

    static void assertOneLineError(CliRunner.Result r, String... parts) {
        assertEquals(2, r.exitCode(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("amalgam: error: "), err);
        for (String p : parts) {
            assertTrue(err.contains(p), "missing '" + p + "' in: " + err);
        }
    }

    // ---------------------------------------------------------------- BERT

    Model bertBase() {
        return Model.random(BERT, 1, 0.5f);
    }

    /** A BertForSequenceClassification fine-tune: bert.* + classifier.* with {@code k} labels. */
    static Model bertClassifierOf(Model base, long seed, int k) {
        int hidden = (int) base.shapes().get("embeddings.word_embeddings.weight")[1];
        return base.fineTune(seed).renamed(n -> "bert." + n)
                .plus(shapes("classifier.weight", k, hidden, "classifier.bias", k, 0), seed + 50);
    }

    @Test
    void bertForSequenceClassificationMergesWithBertModel() throws Exception {
        Model base = bertBase();
        Model a = bertClassifierOf(base, 2, 2);
        Model b = bertClassifierOf(base, 3, 3);
        Path baseDir = base.write(tmp.resolve("bert-base"), BERT_MODEL);
        Path aDir = a.write(tmp.resolve("spam"), bertClassifier("ham", "spam"));
        Path bDir = b.write(tmp.resolve("topic"), bertClassifier("sport", "news", "art"));
        Path out = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, out, "task_arithmetic", aDir, bDir);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("BertForSequenceClassification → BertModel"), r.err());
        assertTrue(r.err().contains("kept in heads/spam/"), r.err());

        assertEquals(new TreeSet<>(BERT.keySet()), names(out), "the base's layout");
        for (String n : BERT.keySet()) {
            assertClose(taskSum(base.values().get(n), a.values().get("bert." + n), b.values().get("bert." + n)),
                    read(out, n), n);
        }
        JsonNode cfg = Json.readFile(out.resolve("config.json"));
        assertEquals("BertModel", cfg.path("architectures").get(0).asText());

        // heads/<task>/: the classifier under its own name, labels from id2label, the fine-tune's config
        for (Object[] t : new Object[][] {{"spam", a, List.of("ham", "spam")}, {"topic", b, List.of("sport", "news", "art")}}) {
            Path head = out.resolve("heads").resolve((String) t[0]);
            Model m = (Model) t[1];
            assertEquals(Set.of("classifier.bias", "classifier.weight"), names(head.resolve("head.safetensors")));
            assertArrayEquals(m.values().get("classifier.weight"), read(head.resolve("head.safetensors"), "classifier.weight"));
            assertArrayEquals(m.values().get("classifier.bias"), read(head.resolve("head.safetensors"), "classifier.bias"));
            FineTunedHead h = FineTunedHead.read(head);
            assertEquals(t[2], h.labels());
            assertEquals("auto", h.pooling());
            JsonNode hj = Json.readFile(head.resolve("head.json"));
            assertEquals("bert.", hj.path("backbone_prefix").asText());
            assertEquals("BertForSequenceClassification", Json.readFile(head.resolve("config.json"))
                    .path("architectures").get(0).asText());
        }
        // the merged backbone is a model (not confused by heads/), and inspect lists the heads
        CliRunner.Result inspect = CliRunner.run("inspect", out.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("heads/spam/head.safetensors"), inspect.out());
    }

    @Test
    void engineMethodsAndFineTuneLayout() {
        Model base = bertBase();
        Model a = bertClassifierOf(base, 4, 2);
        Model b = bertClassifierOf(base, 5, 2);
        Path baseDir = base.write(tmp.resolve("bert-base"), BERT_MODEL);
        Path aDir = a.write(tmp.resolve("a"), bertClassifier("n", "p"));
        Path bDir = b.write(tmp.resolve("b"), bertClassifier("n", "p"));
        // Amalgam's engine (task_arithmetic with a weights list)
        Path engine = tmp.resolve("engine");
        CliRunner.Result r = CliRunner.run("merge", "--method", "task_arithmetic", "--base", baseDir.toString(),
                "--models", aDir + "," + bDir, "--param", "weights=1,1", "--param", "lambda=1", "--out", engine.toString());
        assertEquals(0, r.exitCode(), r.err());
        String q = "encoder.layer.0.attention.self.query.weight";
        assertClose(taskSum(base.values().get(q), a.values().get("bert." + q), b.values().get("bert." + q)), read(engine, q), q);
        assertTrue(Files.isRegularFile(engine.resolve("heads/a/head.safetensors")));

        // --layout finetune: the fine-tune's names and config
        Path ft = tmp.resolve("ft-layout");
        r = merge(baseDir, ft, "task_arithmetic", List.of("--layout", "finetune"), aDir, bDir);
        assertEquals(0, r.exitCode(), r.err());
        Set<String> expected = new TreeSet<>();
        BERT.keySet().forEach(n -> expected.add("bert." + n));
        assertEquals(expected, names(ft));
        assertClose(taskSum(base.values().get(q), a.values().get("bert." + q), b.values().get("bert." + q)),
                read(ft, "bert." + q), q);
        assertEquals("BertForSequenceClassification",
                Json.readFile(ft.resolve("config.json")).path("architectures").get(0).asText());
        assertTrue(Files.isRegularFile(ft.resolve("heads/b/head.json")));
    }

    @Test
    void bertErrorsStayOneLine() {
        Model base = bertBase();
        Path baseDir = base.write(tmp.resolve("bert-base"), BERT_MODEL);
        Path good = bertClassifierOf(base, 6, 2).write(tmp.resolve("good"), bertClassifier("n", "p"));

        // a backbone tensor missing from the fine-tune
        Path missing = bertClassifierOf(base, 7, 2).only(n -> !n.equals("bert.pooler.dense.bias"))
                .write(tmp.resolve("missing"), bertClassifier("n", "p"));
        assertOneLineError(merge(baseDir, tmp.resolve("o1"), "task_arithmetic", good, missing),
                "missing", "tensor names differ from base", "missing 'bert.pooler.dense.bias'");

        // a backbone shape mismatch
        Model badShape = bertClassifierOf(base, 8, 2);
        badShape.values().put("bert.encoder.layer.0.attention.self.query.bias", new float[5]);
        badShape.shapes().put("bert.encoder.layer.0.attention.self.query.bias", new long[] {5});
        Path shape = badShape.write(tmp.resolve("shape"), bertClassifier("n", "p"));
        assertOneLineError(merge(baseDir, tmp.resolve("o2"), "task_arithmetic", good, shape),
                "shapes differ from base", "'bert.encoder.layer.0.attention.self.query.bias' [5] vs base "
                        + "'encoder.layer.0.attention.self.query.bias' [4]");

        // added tokens: Amalgam's engine methods refuse, naming the tensor, both sizes and the union recipe
        // (MergeKit's methods cut the matrices as MergeKit does: MergeKitEdgeCasesTest)
        Model added = bertClassifierOf(base, 9, 2);
        added.values().put("bert.embeddings.word_embeddings.weight", TinyCheckpoints.randomFloats(3, 14 * 4, 0.5f));
        added.shapes().put("bert.embeddings.word_embeddings.weight", new long[] {14, 4});
        Path vocab = added.write(tmp.resolve("vocab"), bertClassifier("n", "p"));
        assertOneLineError(merge(baseDir, tmp.resolve("o3"), "dare", good, vocab),
                "'bert.embeddings.word_embeddings.weight' [14, 4]", "[12, 4]", "14 vs 12 tokens", "added 2 tokens",
                "tokenizer_source: union", "docs/mergekit.md");
        assertFalse(Files.exists(tmp.resolve("o3")));
    }

    /**
     * A whole (tiny) BERT with a pooler, base without architectures (prefix detected from the names):
     * the merged backbone is evaluated on the text suite with each task's HF classifier head from
     * heads/&lt;task&gt;/, pooled as BertForSequenceClassification does (tanh pooler over [CLS]).
     */
    @Test
    void mergedBertIsEvaluatedWithEachTasksHeadThroughThePooler() throws Exception {
        Path syn = tmp.resolve("syn");
        SyntheticTextSuite.writeModel(syn, 16, 1, 2, 32, 1);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        try (Checkpoint c = Checkpoints.open(syn)) {
            for (String n : c.names()) {
                shapes.put(n, c.info(n).shape());
                values.put(n, read(syn, n));
            }
        }
        Model base = new Model(values, shapes).plus(shapes("pooler.dense.weight", 16, 16, "pooler.dense.bias", 16, 0), 70);
        com.fasterxml.jackson.databind.node.ObjectNode cfg = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.readFile(syn.resolve("config.json"));
        Path baseDir = base.write(tmp.resolve("base"), cfg.toString());
        Files.copy(syn.resolve("tokenizer.json"), baseDir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        cfg.putArray("architectures").add("BertForSequenceClassification");
        Path alpha = bertClassifierOf(base, 71, 2).write(tmp.resolve("alpha"), cfg.toString());
        Path beta = bertClassifierOf(base, 72, 2).write(tmp.resolve("beta"), cfg.toString());
        Path merged = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, merged, "task_arithmetic", alpha, beta);
        assertEquals(0, r.exitCode(), r.err());
        Path data = tmp.resolve("data");
        SyntheticTextSuite.writeData(data, List.of("alpha", "beta"), 6, 3);
        Path report = tmp.resolve("report");
        r = CliRunner.run("eval", merged.toString(), "--suite", "text", "--data", data.toString(), "--head",
                "alpha=" + merged.resolve("heads/alpha"), "--head", "beta=" + merged.resolve("heads/beta"),
                "--out", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("method,kind,alpha,beta,ood:alpha,ood:beta,ID avg,OOD avg",
                Files.readAllLines(report.resolve("results.csv")).get(0));

        // the pooler features are tanh(W·h_CLS + b) with the merged pooler weights
        try (dev.amalgam.eval.run.TextSuiteEvaluator ev = new dev.amalgam.eval.run.TextSuiteEvaluator(merged, data,
                List.of("alpha"), 32, 6, List.of("test"))) {
            float[][] cls = ev.features("alpha", "test", "cls");
            float[][] pooled = ev.features("alpha", "test", "pooler");
            float[] w = read(merged, "pooler.dense.weight");
            float[] b = read(merged, "pooler.dense.bias");
            for (int i = 0; i < cls.length; i++) {
                for (int o = 0; o < 16; o++) {
                    double s = b[o];
                    for (int k = 0; k < 16; k++) {
                        s += (double) w[o * 16 + k] * cls[i][k];
                    }
                    assertEquals(Math.tanh(s), pooled[i][o], 1e-5, "example " + i + " unit " + o);
                }
            }
        }
    }

    /** position_ids saved by older transformers in the base but not in the fine-tunes (or the other way round). */
    @Test
    void integerBuffersOnOneSideComeFromTheBase() {
        Model base = bertBase();
        Path baseDir = base.write(tmp.resolve("old-base"), BERT_MODEL, b -> b.tensor("embeddings.position_ids", DType.I64,
                new long[] {1, 3}, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putLong(2).flip()));
        Model a = bertClassifierOf(base, 81, 2);
        Path aDir = a.write(tmp.resolve("a"), bertClassifier("n", "p"));
        Path bDir = bertClassifierOf(base, 82, 2).write(tmp.resolve("b"), bertClassifier("n", "p"), x -> x.tensor(
                "bert.embeddings.token_type_ids", DType.I64, new long[] {1, 3}, ByteBuffer.allocate(24)));
        Path out = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, out, "task_arithmetic", aDir, bDir);
        assertEquals(0, r.exitCode(), r.err());
        Set<String> expected = new TreeSet<>(BERT.keySet());
        expected.add("embeddings.position_ids");
        assertEquals(expected, names(out));
        try (Checkpoint c = Checkpoints.open(out)) {
            assertEquals(2L, c.bytes("embeddings.position_ids").order(ByteOrder.LITTLE_ENDIAN).getLong(16));
        }
        assertEquals(Set.of("classifier.bias", "classifier.weight"), names(out.resolve("heads/b/head.safetensors")));
    }

    /** A base saved without a pooler: the fine-tunes' pooler is task-specific and goes with the classifier. */
    @Test
    void tensorsOnlyInTheFineTuneGoToItsHead() {
        Model full = bertBase();
        Model base = full.only(n -> !n.startsWith("pooler."));
        Path baseDir = base.write(tmp.resolve("no-pooler"), BERT_MODEL);
        Model a = bertClassifierOf(full, 91, 2);
        Model b = bertClassifierOf(full, 92, 2);
        Path out = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, out, "task_arithmetic", a.write(tmp.resolve("a"), bertClassifier("n", "p")),
                b.write(tmp.resolve("b"), bertClassifier("n", "p")));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(new TreeSet<>(base.values().keySet()), names(out));
        Path head = out.resolve("heads/a/head.safetensors");
        assertEquals(Set.of("bert.pooler.dense.bias", "bert.pooler.dense.weight", "classifier.bias", "classifier.weight"),
                names(head));
        assertArrayEquals(a.values().get("bert.pooler.dense.weight"), read(head, "bert.pooler.dense.weight"));
    }

    @Test
    void knownArchitectures() {
        assertEquals("bert.", HfArchitectures.of("BertForSequenceClassification").prefix());
        assertEquals("", HfArchitectures.of("BertModel").prefix());
        assertEquals("roberta.", HfArchitectures.of("XLMRobertaForTokenClassification").prefix());
        assertEquals("xlm-roberta", HfArchitectures.of("XLMRobertaModel").family());
        assertEquals("model.", HfArchitectures.of("Qwen2ForCausalLM").prefix());
        assertEquals("transformer.", HfArchitectures.of("GPT2LMHeadModel").prefix());
        assertEquals(List.of("vision_model", "visual_projection"),
                HfArchitectures.of("CLIPVisionModelWithProjection").parts());
        assertEquals(null, HfArchitectures.of("BertGenerationEncoder"));
        assertEquals(null, HfArchitectures.of("T5ForConditionalGeneration"));
    }

    // ---------------------------------------------------------------- CLIP

    @Test
    void clipVisionFineTunesMergeIntoClipModel() {
        Model base = Model.random(CLIP_VISION, 11, 0.5f).plus(CLIP_TEXT, 12);
        Model a = base.fineTune(13).only(n -> n.startsWith("vision_model.") || n.startsWith("visual_projection."));
        Model b = base.fineTune(14).only(n -> n.startsWith("vision_model.") || n.startsWith("visual_projection."));
        Path baseDir = base.write(tmp.resolve("clip"), CLIP_MODEL);
        Path aDir = a.write(tmp.resolve("mnist"), CLIP_VISION_PROJ);
        Path bDir = b.write(tmp.resolve("svhn"), CLIP_VISION_PROJ);
        Path out = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, out, "task_arithmetic", aDir, bDir);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("CLIPVisionModelWithProjection → CLIPModel"), r.err());
        assertEquals(new TreeSet<>(base.values().keySet()), names(out), "CLIPModel layout");
        for (String n : CLIP_VISION.keySet()) {
            assertClose(taskSum(base.values().get(n), a.values().get(n), b.values().get(n)), read(out, n), n);
        }
        for (String n : CLIP_TEXT.keySet()) {
            assertArrayEquals(base.values().get(n), read(out, n), n + " is the base's (the fine-tunes hold no text tower)");
        }
        assertEquals("CLIPModel", Json.readFile(out.resolve("config.json")).path("architectures").get(0).asText());
        assertFalse(Files.exists(out.resolve("heads")), "vision fine-tunes have no head of their own");
    }

    @Test
    void clipModelFineTunesOfAVisionBaseKeepTheirTextTowerAside() {
        Model full = Model.random(CLIP_VISION, 21, 0.5f).plus(CLIP_TEXT, 22);
        Model base = full.only(n -> n.startsWith("vision_model.") || n.startsWith("visual_projection."));
        Model a = full.fineTune(23);
        Model b = full.fineTune(24);
        Path baseDir = base.write(tmp.resolve("vision"), CLIP_VISION_PROJ);
        Path aDir = a.write(tmp.resolve("a"), CLIP_MODEL);
        Path bDir = b.write(tmp.resolve("b"), CLIP_MODEL);
        Path out = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, out, "task_arithmetic", aDir, bDir);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(new TreeSet<>(CLIP_VISION.keySet()), names(out));
        for (String n : CLIP_VISION.keySet()) {
            assertClose(taskSum(base.values().get(n), a.values().get(n), b.values().get(n)), read(out, n), n);
        }
        Path head = out.resolve("heads/a/head.safetensors");
        assertEquals(new TreeSet<>(CLIP_TEXT.keySet()), names(head));
        for (String n : CLIP_TEXT.keySet()) {
            assertArrayEquals(a.values().get(n), read(head, n), n);
        }
    }

    // ---------------------------------------------------------------- Llama

    @Test
    void llamaForCausalLmMergesWithLlamaModel() {
        Model base = Model.random(LLAMA, 31, 0.5f);
        Model a = base.fineTune(32).renamed(n -> "model." + n).plus(shapes("lm_head.weight", 16, 4), 33);
        Model b = base.fineTune(34).renamed(n -> "model." + n).plus(shapes("lm_head.weight", 16, 4), 35);
        Path baseDir = base.write(tmp.resolve("llama"), LLAMA_MODEL);
        Path aDir = a.write(tmp.resolve("code"), LLAMA_LM);
        Path bDir = b.write(tmp.resolve("math"), LLAMA_LM);
        Path out = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, out, "task_arithmetic", aDir, bDir);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("LlamaForCausalLM → LlamaModel"), r.err());
        assertEquals(new TreeSet<>(LLAMA.keySet()), names(out));
        for (String n : LLAMA.keySet()) {
            assertClose(taskSum(base.values().get(n), a.values().get("model." + n), b.values().get("model." + n)),
                    read(out, n), n);
        }
        assertArrayEquals(b.values().get("lm_head.weight"), read(out.resolve("heads/math/head.safetensors"), "lm_head.weight"));
        JsonNode hj = Json.readFile(out.resolve("heads/math/head.json"));
        assertEquals("lm_head.weight", hj.path("tensors").get(0).asText());
        assertTrue(hj.path("labels").isMissingNode(), "not a classifier");
    }

    @Test
    void prefixIsDetectedFromNamesWithoutConfig() {
        Model base = Model.random(LLAMA, 41, 0.5f);
        Model a = base.fineTune(42).renamed(n -> "model." + n).plus(shapes("lm_head.weight", 16, 4), 43);
        Model b = base.fineTune(44).renamed(n -> "model." + n).plus(shapes("lm_head.weight", 16, 4), 45);
        Path baseDir = base.write(tmp.resolve("llama"), null);
        Path out = tmp.resolve("merged");
        CliRunner.Result r = merge(baseDir, out, "task_arithmetic", a.write(tmp.resolve("a"), null),
                b.write(tmp.resolve("b"), null));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("detected from the tensor names"), r.err());
        String n = "layers.1.self_attn.q_proj.weight";
        assertClose(taskSum(base.values().get(n), a.values().get("model." + n), b.values().get("model." + n)), read(out, n), n);
        assertTrue(Files.isRegularFile(out.resolve("heads/b/head.safetensors")));
    }

    @Test
    void llamaAddedTokensAreRefused() {
        Model base = Model.random(LLAMA, 51, 0.5f);
        Model a = base.fineTune(52).renamed(n -> "model." + n).plus(shapes("lm_head.weight", 16, 4), 53);
        Model b = base.fineTune(54).renamed(n -> "model." + n).plus(shapes("lm_head.weight", 18, 4), 55);
        b.values().put("model.embed_tokens.weight", TinyCheckpoints.randomFloats(5, 18 * 4, 0.5f));
        b.shapes().put("model.embed_tokens.weight", new long[] {18, 4});
        Path baseDir = base.write(tmp.resolve("llama"), LLAMA_MODEL);
        assertOneLineError(merge(baseDir, tmp.resolve("o"), "dare", a.write(tmp.resolve("a"), LLAMA_LM),
                        b.write(tmp.resolve("b"), LLAMA_LM)),
                "'model.embed_tokens.weight' [18, 4] vs base 'embed_tokens.weight' [16, 4]", "18 vs 16 tokens",
                "tokenizer_source: union", "docs/mergekit.md");
    }

    /** EMR over mapped fine-tunes: the heads go next to the modulated output and into each materialised task. */
    @Test
    void emrKeepsHeadsAndMaterializeCopiesThem() {
        Model base = bertBase();
        Path baseDir = base.write(tmp.resolve("bert-base"), BERT_MODEL);
        Path aDir = bertClassifierOf(base, 61, 2).write(tmp.resolve("spam"), bertClassifier("ham", "spam"));
        Path bDir = bertClassifierOf(base, 62, 3).write(tmp.resolve("topic"), bertClassifier("x", "y", "z"));
        Path emr = tmp.resolve("emr");
        CliRunner.Result r = CliRunner.run("merge", "--method", "emr", "--base", baseDir.toString(),
                "--models", aDir + "," + bDir, "--out", emr.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(emr.resolve("heads/topic/head.safetensors")));
        Path task = tmp.resolve("topic-model");
        r = CliRunner.run("materialize", emr.toString(), "--task", "topic", "--out", task.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(new TreeSet<>(BERT.keySet()), names(task));
        assertEquals(List.of("x", "y", "z"), FineTunedHead.read(task).labels());

        assertOneLineError(CliRunner.run("merge", "--method", "emr", "--base", baseDir.toString(), "--models",
                aDir + "," + bDir, "--layout", "finetune", "--out", tmp.resolve("emr2").toString()), "--layout finetune");
    }
}
