package dev.amalgam.serving;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.cli.Main;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.eval.transforms.ClipPreprocess;
import dev.amalgam.eval.image.FloatImage;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.merge.Materializer;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.CausalLm;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.Tokenizers;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertTokenizer;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.train.FineTunedHead;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports tiny models and loads them back through DJL's own model loading (Criteria + serving.properties)
 * in a JVM that sees only DJL and the exported libs/ jars; the served predictions must equal Amalgam's
 * in-process ones (computed here from the source checkpoint with the model classes directly).
 */
@Tag("slow") // builds a jar and serves models through DJL Serving's loader
class DjlServingExportTest {
    static final double TOL = 1e-5;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path amalgamJar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildAmalgamJar() throws IOException {
        // the "Amalgam jar" an export ships: the modules the serving classes need, merged (jars or classes dirs)
        amalgamJar = shared.resolve("amalgam-under-test.jar");
        AmalgamJar.mergeInto(AmalgamJar.moduleSources(), amalgamJar);
    }

    static int export(String... args) {
        List<String> a = new ArrayList<>(List.of("export"));
        a.addAll(Arrays.asList(args));
        a.addAll(List.of("--amalgam-jar", amalgamJar.toString()));
        return Main.execute(a.toArray(new String[0]));
    }

    @Test
    void bertClassifierServedFromDirAndZipEqualsInProcess() throws Exception {
        Path ckpt = TinyModels.bertClassifier(tmp.resolve("ft-bert"), 11, "auto");
        Path out = tmp.resolve("served/sentiment");
        assertEquals(0, export(ckpt.toString(), "--format", "djl-serving", "--out", out.toString(), "--zip"));

        Properties props = new Properties();
        try (var r = Files.newBufferedReader(out.resolve("serving.properties"))) {
            props.load(r);
        }
        assertEquals("PyTorch", props.getProperty("engine"));
        assertEquals(AmalgamBlockFactory.class.getName(), props.getProperty("blockFactory"));
        assertEquals(TextClassificationTranslatorFactory.class.getName(), props.getProperty("translatorFactory"));
        assertEquals("false", props.getProperty("option.hasParameter"));
        assertTrue(props.containsKey("batch_size") && props.containsKey("max_batch_delay"));
        assertArrayEquals(Files.readAllBytes(ckpt.resolve("model.safetensors")),
                Files.readAllBytes(out.resolve("model.safetensors")), "weights shipped as they are");
        assertArrayEquals(Files.readAllBytes(amalgamJar), Files.readAllBytes(out.resolve("libs/amalgam.jar")));
        for (String f : List.of("config.json", "tokenizer.json", "head.json", "head.safetensors")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("served/sentiment.zip")));

        List<String> texts = List.of("the movie was great", "not very good acting and bad plot", "fine");
        double[][] want = inProcessBert(ckpt, texts);

        for (Path served : List.of(out, tmp.resolve("served/sentiment.zip"))) {
            List<String> lines = ServedModelRunner.run(out.resolve("libs"), tmp, "text-classification", served.toString(),
                    texts.get(0), texts.get(1), texts.get(2));
            assertServedFromExportedJar(lines, out);
            assertEquals(TextClassifierBlock.class.getName(), value(lines, "BLOCK").get(0));
            List<String> classes = value(lines, "CLASSES");
            List<String> http = value(lines, "HTTP");
            assertEquals(texts.size(), classes.size(), String.join("\n", lines));
            for (int i = 0; i < texts.size(); i++) {
                assertProbabilities(TinyModels.LABELS, want[i], classes.get(i), served + " text " + i);
                assertHttpJson(want[i], http.get(i));
            }
        }

        // DJL Serving's layout: Amalgam jars only in a context class loader ($MODEL_SERVER_HOME/deps/)
        List<String> lines = ServedModelRunner.run(out.resolve("libs"), false, tmp, "deps-text", out.toString(),
                out.resolve("libs").toString(), texts.get(0), texts.get(1), texts.get(2));
        assertEquals(List.of("true"), value(lines, "ISOLATED"), String.join("\n", lines));
        assertServedFromExportedJar(lines, out);
        assertEquals(TextClassifierBlock.class.getName(), value(lines, "BLOCK").get(0));
        List<String> http = value(lines, "HTTP");
        for (int i = 0; i < texts.size(); i++) {
            assertHttpJson(want[i], http.get(i));
        }
    }

    /** Reference: encoder from the source checkpoint, pooler output, head as plain-Java dot products, softmax. */
    static double[][] inProcessBert(Path ckpt, List<String> texts) {
        FineTunedHead head = FineTunedHead.read(ckpt);
        BertConfig config = BertConfig.read(ckpt.resolve("config.json"));
        double[][] probs = new double[texts.size()][];
        try (NDManager m = NDManager.newBaseManager();
             Checkpoint c = Checkpoints.open(ckpt);
             BertEncoder enc = BertEncoder.load(config, c, m);
             BertTokenizer tok = BertTokenizer.open(ckpt.resolve("tokenizer.json"), config.maxPositions())) {
            assertTrue(enc.hasPooler());
            for (int i = 0; i < texts.size(); i++) {
                BertTokenizer.Batch b = tok.batch(List.of(texts.get(i)), m);
                float[] pooled = enc.forward(b.inputIds(), b.attentionMask(), b.tokenTypeIds()).get(1).toFloatArray();
                probs[i] = softmax(head.toLinearHead().logits(pooled));
            }
        }
        return probs;
    }

    @Test
    void gpt2GenerationServedEqualsInProcessGreedy() throws Exception {
        Path src = Fixtures.dir("gpt2", "tiny");
        Path out = tmp.resolve("gpt2-served");
        assertEquals(0, export(src.toString(), "--out", out.toString(), "--max-new-tokens", "6"));
        List<String> prompts = List.of("hello world", "the cat");
        List<String> served = servedTexts(out, prompts);
        for (int i = 0; i < prompts.size(); i++) {
            String want = inProcessGenerate(src, prompts.get(i), 6);
            assertEquals(want, served.get(i));
            assertTrue(want.length() > prompts.get(i).length(), "something was generated: " + want);
        }
    }

    @Test
    void llamaFamilyGenerationServedEqualsInProcessGreedy() throws Exception {
        for (String kase : List.of("llama", "qwen2")) {
            Path src = Files.createDirectory(tmp.resolve(kase));
            Path fixture = Fixtures.dir("llama", kase);
            Files.copy(fixture.resolve("config.json"), src.resolve("config.json"));
            Files.copy(fixture.resolve("model.safetensors"), src.resolve("model.safetensors"));
            Files.writeString(src.resolve("tokenizer.json"), TinyModels.numberedTokenizer(100));
            Path out = tmp.resolve(kase + "-served");
            assertEquals(0, export(src.toString(), "--out", out.toString(), "--max-new-tokens", "5"));
            String prompt = "t5 t17 t42 t8";
            String want = inProcessGenerate(src, prompt, 5);
            assertEquals(want, servedTexts(out, List.of(prompt)).get(0), kase);
            assertTrue(want.startsWith(prompt + " t"), want);
        }
    }

    @Test
    void modulatedOutputIsMaterializedPerTask() throws Exception {
        Path base = Fixtures.dir("gpt2", "tiny");
        Path a = TinyModels.perturbed(base, tmp.resolve("ft/alpha"), 1, 0.05);
        Path b = TinyModels.perturbed(base, tmp.resolve("ft/beta"), 2, 0.05);
        Path merged = tmp.resolve("emr");
        assertEquals(0, Main.execute("merge", "--method", "emr", "--base", base.toString(),
                "--models", a + "," + b, "--tasks", "alpha,beta", "--out", merged.toString()));

        Path noTask = tmp.resolve("no-task");
        assertEquals(2, export(merged.toString(), "--out", noTask.toString()));
        assertFalse(Files.exists(noTask));

        Path out = tmp.resolve("emr-beta-served");
        assertEquals(0, export(merged.toString(), "--task", "beta", "--out", out.toString(), "--max-new-tokens", "6"));
        Path reference = tmp.resolve("beta-materialized");
        Materializer.materialize(merged, "beta", reference, null, Long.MAX_VALUE);
        String prompt = "hello world";
        assertEquals(inProcessGenerate(reference, prompt, 6), servedTexts(out, List.of(prompt)).get(0));
    }

    List<String> servedTexts(Path out, List<String> prompts) {
        List<String> args = new ArrayList<>(List.of("text-generation", out.toString()));
        args.addAll(prompts);
        List<String> lines = ServedModelRunner.run(out.resolve("libs"), tmp, args.toArray(new String[0]));
        assertServedFromExportedJar(lines, out);
        List<String> texts = value(lines, "TEXT").stream().map(DjlServingExportTest::unb64).toList();
        List<String> http = value(lines, "HTTP");
        for (int i = 0; i < prompts.size(); i++) {
            assertEquals("text/plain " + Base64.getEncoder().encodeToString(texts.get(i).getBytes(StandardCharsets.UTF_8)),
                    http.get(i), "DJL Serving request shape gives the same text");
        }
        return texts;
    }

    /** Reference: what 'amalgam generate' does, on the source directory. */
    static String inProcessGenerate(Path dir, String prompt, int maxNew) {
        try (NDManager m = NDManager.newBaseManager();
             HuggingFaceTokenizer tok = Tokenizers.causalLm(dir);
             CausalLanguageModel lm = ModelRegistry.loadCausalLm(dir, m)) {
            long[] ids = tok.encode(prompt).getIds();
            long[] gen = CausalLm.greedy(lm, ids, maxNew, lm.eosTokenId(), false);
            long[] all = Arrays.copyOf(ids, ids.length + gen.length);
            System.arraycopy(gen, 0, all, ids.length, gen.length);
            return tok.decode(all, true);
        }
    }

    @Test
    void clipZeroShotServedEqualsInProcess() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("clip"));
        Path fixture = Fixtures.dir("clip", "quickgelu");
        Files.copy(fixture.resolve("config.json"), src.resolve("config.json"));
        Files.copy(fixture.resolve("model.safetensors"), src.resolve("model.safetensors"));
        Files.copy(fixture.getParent().getParent().resolve("tokenizers/clip/tokenizer.json"), src.resolve("tokenizer.json"));
        List<String> classes = List.of("cat", "dog", "bird");
        List<String> templates = List.of("a photo of a {}.", "a drawing of the {}.");
        Path out = tmp.resolve("clip-served");
        assertEquals(0, export(src.toString(), "--out", out.toString(), "--classes", String.join(",", classes),
                "--templates", String.join("|", templates)));

        List<Path> images = List.of(randomPng(tmp.resolve("a.png"), 40, 48, 3), randomPng(tmp.resolve("b.png"), 37, 32, 4));
        List<String> args = new ArrayList<>(List.of("zero-shot-image-classification", out.toString()));
        images.forEach(p -> args.add(p.toString()));
        List<String> lines = ServedModelRunner.run(out.resolve("libs"), tmp, args.toArray(new String[0]));
        assertServedFromExportedJar(lines, out);
        List<String> served = value(lines, "CLASSES");
        List<String> http = value(lines, "HTTP");

        try (NDManager m = NDManager.newBaseManager()) {
            ClipModel clip = (ClipModel) ModelRegistry.fromCheckpoint(src, m);
            int len = Math.min(77, clip.config().maxPositions());
            ZeroShotHead head;
            try (HuggingFaceTokenizer tok = Tokenizers.clip(src, len)) {
                head = ZeroShotHead.build(texts -> {
                    NDList batch = Tokenizers.batch(tok, texts, m);
                    NDArray f = clip.textFeatures(batch.get(0), batch.get(1));
                    float[][] rows = new float[texts.size()][];
                    for (int i = 0; i < rows.length; i++) {
                        rows[i] = f.get(i).toFloatArray();
                    }
                    return rows;
                }, classes, templates, clip.parameter("logit_scale").getFloat());
            }
            ClipPreprocess pre = new ClipPreprocess(clip.config().imageSize());
            for (int i = 0; i < images.size(); i++) {
                FloatImage x = pre.apply(ImageIO.read(images.get(i).toFile()));
                long[] s = x.shape();
                float[] feats = clip.imageFeatures(m.create(x.data(), new ai.djl.ndarray.types.Shape(1, s[0], s[1], s[2])))
                        .toFloatArray();
                double[] want = softmax(head.logits(feats));
                assertProbabilities(classes, want, served.get(i), "image " + i);
                assertHttpJson(want, http.get(i));
            }
            clip.close();
        }
    }

    @Test
    void clipClassNamesAndTemplatesComeFromTheTaskSuite() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("clip"));
        Path fixture = Fixtures.dir("clip", "quickgelu");
        Files.copy(fixture.resolve("config.json"), src.resolve("config.json"));
        Files.copy(fixture.resolve("model.safetensors"), src.resolve("model.safetensors"));
        Files.copy(fixture.getParent().getParent().resolve("tokenizers/clip/tokenizer.json"), src.resolve("tokenizer.json"));
        Path out = tmp.resolve("mnist-served");
        assertEquals(0, export(src.toString(), "--out", out.toString(), "--task", "mnist"));
        var spec = dev.amalgam.eval.suites.SuiteCatalog.builtin().task("mnist");
        JsonNode head = JSON.readTree(out.resolve("head.json").toFile());
        List<String> labels = new ArrayList<>();
        head.path("labels").forEach(n -> labels.add(n.asText()));
        List<String> templates = new ArrayList<>();
        head.path("templates").forEach(n -> templates.add(n.asText()));
        assertEquals(spec.classes(), labels);
        assertEquals(spec.templates(), templates);
        assertEquals(spec.classes().size(), ZeroShotHeadFiles.read(out).weight().length);
    }

    @Test
    void incompatibleInputsAreOneLineErrorsAndLeaveNothing() throws Exception {
        Path parent = Files.createDirectory(tmp.resolve("outs"));
        Path noConfig = Files.createDirectory(tmp.resolve("no-config"));
        Files.writeString(noConfig.resolve("tokenizer.json"), TinyModels.wordTokenizer());
        assertEquals(2, export(noConfig.toString(), "--out", parent.resolve("a").toString()));

        Path bert = TinyModels.bertClassifier(tmp.resolve("bert"), 3, "mean");
        Path unknown = tmp.resolve("unknown-type");
        copyTree(bert, unknown);
        Files.writeString(unknown.resolve("config.json"),
                Files.readString(bert.resolve("config.json")).replace("\"bert\"", "\"t5\""));
        assertEquals(2, export(unknown.toString(), "--out", parent.resolve("b").toString()));

        Path headless = tmp.resolve("headless");
        copyTree(bert, headless);
        Files.delete(headless.resolve("head.json"));
        assertEquals(2, export(headless.toString(), "--out", parent.resolve("c").toString()));

        Path modulated = Files.createDirectory(tmp.resolve("modulated"));
        Files.writeString(modulated.resolve("modulated.json"),
                "{\"method\":\"emr\",\"base\":\"" + bert + "\",\"tasks\":[\"x\",\"y\"],\"scales\":[1,1]}");
        assertEquals(2, export(modulated.toString(), "--out", parent.resolve("d").toString()));

        Path clip = Files.createDirectory(tmp.resolve("clip-no-classes"));
        Files.copy(Fixtures.dir("clip", "quickgelu").resolve("config.json"), clip.resolve("config.json"));
        Files.copy(Fixtures.dir("clip", "quickgelu").resolve("model.safetensors"), clip.resolve("model.safetensors"));
        Files.writeString(clip.resolve("tokenizer.json"), TinyModels.wordTokenizer());
        assertEquals(2, export(clip.toString(), "--out", parent.resolve("e").toString()));

        assertEquals(2, export(bert.toString(), "--task", "sst2", "--out", parent.resolve("f").toString()),
                "--task on a plain BERT checkpoint");

        try (Stream<Path> s = Files.list(parent)) {
            assertEquals(List.of(), s.toList(), "nothing left behind, not even temporaries");
        }
        Path existing = Files.createDirectory(parent.resolve("exists"));
        assertEquals(2, export(bert.toString(), "--out", existing.toString()));
        try (Stream<Path> s = Files.list(existing)) {
            assertEquals(0, s.count());
        }
        try (Stream<Path> s = Files.list(parent)) {
            assertEquals(List.of(existing), s.toList());
        }
    }

    static void assertServedFromExportedJar(List<String> lines, Path out) {
        String source = value(lines, "SOURCE").get(0);
        assertTrue(source.endsWith("/libs/amalgam.jar") && source.contains(out.getFileName().toString()),
                "Amalgam classes came from the exported jar, not the test class path: " + source);
    }

    /** Served class names in head order with probabilities equal to the in-process ones. */
    static void assertProbabilities(List<String> labels, double[] want, String line, String what) {
        String[] items = line.split(" ");
        assertEquals(want.length, items.length, what);
        for (int c = 0; c < want.length; c++) {
            String[] kv = items[c].split(":");
            assertEquals(labels.get(c), unb64(kv[0]), what);
            assertEquals(want[c], Double.parseDouble(kv[1]), TOL, what + " class " + c);
        }
    }

    /** DJL Serving's Output: Classifications JSON with the same top class and probability. */
    static void assertHttpJson(double[] want, String line) throws IOException {
        String[] parts = line.split(" ");
        assertEquals("application/json", parts[0]);
        JsonNode json = JSON.readTree(Base64.getDecoder().decode(parts[1]));
        JsonNode first = json.isArray() ? json.get(0) : json;
        double best = Arrays.stream(want).max().orElseThrow();
        assertEquals(best, first.path("probability").asDouble(), TOL, json.toString());
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static List<String> value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).toList();
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static Path randomPng(Path file, int w, int h, long seed) throws IOException {
        Random r = new Random(seed);
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ImageIO.write(im, "png", file.toFile());
        return file;
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }
}
