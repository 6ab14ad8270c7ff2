package dev.amalgam.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.ModelWeights;
import dev.amalgam.model.clip.ClipModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code amalgam bench forward}: images/s of the CLIP ViT-B/32 image encoder (Amalgam's Java
 * {@link ClipModel#imageFeatures}) against PyTorch-Python running the same architecture
 * ({@code src/scripts/clip_vit_forward_bench.py}), back to back in the same run: F32, random weights,
 * inference (no grad), same batch and thread count, warm-up then timed iterations.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "CLIP ViT-B/32 image-encoder throughput (images/s): Amalgam (Java) vs PyTorch-Python.")
final class BenchForwardCommand implements Callable<Integer> {
    static final String SCRIPT = "src/scripts/clip_vit_forward_bench.py";
    private static final int IMAGE = 224;
    private static final int PATCH = 32;
    private static final int HIDDEN = 768;
    private static final int HEADS = 12;
    private static final int INTERMEDIATE = 3072;
    private static final int PROJECTION = 512;

    @Option(names = "--batch", defaultValue = "32", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", description = "Timed iterations (default ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--threads", description = "Intra-op threads on both sides (default: available cores).")
    Integer threads;

    @Option(names = "--layers", defaultValue = "12", description = "Encoder layers (default ${DEFAULT-VALUE}, ViT-B/32).")
    int layers;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with torch for the reference side (default ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--script", description = "The reference script (default: <amalgam home>/" + SCRIPT + ").")
    Path script;

    @Option(names = "--no-reference", description = "Measure the Java side only.")
    boolean noReference;

    @Option(names = "--seed", defaultValue = "0", description = "Random-weight seed (default ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--out", defaultValue = "bench-results", description = "Result directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    /** One side's measurement. */
    record Side(String what, String engine, int threads, List<Double> seconds) {
        double imagesPerSecond(int batch) {
            double total = seconds.stream().mapToDouble(Double::doubleValue).sum();
            return batch * seconds.size() / total;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || iters < 1 || warmup < 0 || layers < 1 || (threads != null && threads < 1)) {
            throw new AmalgamException("bench forward: --batch, --iters, --layers and --threads must be ≥ 1, --warmup ≥ 0");
        }
        PrintWriter log = spec.commandLine().getErr();
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Path scriptPath = script != null ? script
                : Path.of(System.getProperty("amalgam.home", ".")).resolve(SCRIPT);
        String unavailable = noReference ? "not requested (--no-reference)" : referenceUnavailable(python, scriptPath);
        String loadBefore = loadAverage();

        log.println("bench forward: Java (DJL) side ...");
        log.flush();
        Side javaSide = runJava(nThreads);
        Side torch = null;
        if (unavailable == null) {
            log.println("bench forward: PyTorch-Python side ...");
            log.flush();
            torch = runPython(scriptPath, nThreads);
        }
        String loadAfter = loadAverage();

        double javaRate = javaSide.imagesPerSecond(batch);
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(javaSide, batch, torch == null ? Double.NaN : javaRate / torch.imagesPerSecond(batch)));
        if (torch != null) {
            rows.add(row(torch, batch, 1.0));
        }
        List<String> notes = new ArrayList<>();
        notes.add("date " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible, Java "
                + System.getProperty("java.version") + ", OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        notes.add("CLIP ViT-B/32 image encoder (image " + IMAGE + ", patch " + PATCH + ", hidden " + HIDDEN + ", "
                + layers + " layers, " + HEADS + " heads, MLP " + INTERMEDIATE + " quick_gelu, projection " + PROJECTION
                + "), F32, random weights, inference (no grad), batch " + batch + ", " + warmup + " warm-up + "
                + iters + " timed iterations, the two sides back to back");
        notes.add("load average before/after: " + loadBefore + " / " + loadAfter);
        if (torch == null) {
            notes.add("PyTorch-Python reference unavailable: " + unavailable);
        } else {
            notes.add(String.format(java.util.Locale.ROOT, "Java / PyTorch-Python = %.3f (target ≥ 0.95)",
                    javaRate / torch.imagesPerSecond(batch)));
        }
        String md = BenchResults.write(out, "forward", "amalgam bench forward", notes,
                List.of("side", "engine", "threads", "timed s per batch", "images/s", "vs PyTorch-Python"), rows);
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static List<String> row(Side s, int batch, double ratio) {
        StringBuilder times = new StringBuilder();
        for (double t : s.seconds()) {
            times.append(times.length() == 0 ? "" : " ").append(BenchResults.f(t, 3));
        }
        return List.of(s.what(), s.engine(), Integer.toString(s.threads()), times.toString(),
                BenchResults.f(s.imagesPerSecond(batch), 2), Double.isNaN(ratio) ? "n/a" : BenchResults.f(ratio, 3));
    }

    /** Null when the reference can run; otherwise why not, in a few words. */
    static String referenceUnavailable(Path python, Path script) {
        if (!Files.isExecutable(python)) {
            return python + " not found";
        }
        if (!Files.isRegularFile(script)) {
            return script + " not found";
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import torch")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return python + " -c 'import torch' timed out";
            }
            return p.exitValue() == 0 ? null : python + " has no torch";
        } catch (IOException e) {
            return python + " cannot be started (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private Side runJava(int nThreads) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(nThreads)); // if the engine is not up yet
        Engine engine = Engine.getInstance();
        JniUtils.setNumThreads(nThreads);
        engine.setRandomSeed(seed);
        List<Double> seconds = new ArrayList<>();
        try (NDManager base = NDManager.newBaseManager();
             ClipModel model = ClipModel.load(new HfConfig(config(layers), "bench config"),
                     randomWeights(shapes(layers)), base)) {
            NDArray pixels = base.randomNormal(0f, 1f, new Shape(batch, 3, IMAGE, IMAGE), DataType.FLOAT32);
            for (int i = 0; i < warmup + iters; i++) {
                try (NDManager step = base.newSubManager()) {
                    pixels.tempAttach(step);
                    long t0 = System.nanoTime();
                    NDArray features = model.imageFeatures(pixels);
                    double dt = (System.nanoTime() - t0) / 1e9;
                    if (!features.getShape().equals(new Shape(batch, PROJECTION))) {
                        throw new IllegalStateException("unexpected output shape " + features.getShape());
                    }
                    if (i >= warmup) {
                        seconds.add(dt);
                    }
                }
            }
        }
        return new Side("Amalgam Java (ClipModel.imageFeatures)", engine.getEngineName() + " " + engine.getVersion()
                + " (DJL " + Engine.getDjlVersion() + ")" + (JniUtils.isGradMode() ? ", grad mode ON" : ""),
                JniUtils.getNumThreads(), seconds);
    }

    private Side runPython(Path scriptPath, int nThreads) throws IOException, InterruptedException {
        List<String> cmd = List.of(python.toString(), scriptPath.toString(), "--batch", Integer.toString(batch),
                "--warmup", Integer.toString(warmup), "--iters", Integer.toString(iters),
                "--threads", Integer.toString(nThreads), "--layers", Integer.toString(layers),
                "--image", Integer.toString(IMAGE), "--patch", Integer.toString(PATCH),
                "--hidden", Integer.toString(HIDDEN), "--heads", Integer.toString(HEADS),
                "--intermediate", Integer.toString(INTERMEDIATE), "--projection", Integer.toString(PROJECTION));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String[] lines = stdout.strip().split("\n");
        if (rc != 0 || lines.length == 0 || !lines[lines.length - 1].startsWith("{")) {
            throw new AmalgamException(scriptPath + ": reference run failed (exit " + rc + ")");
        }
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        List<Double> seconds = new ArrayList<>();
        j.get("seconds").forEach(n -> seconds.add(n.asDouble()));
        return new Side("PyTorch-Python (" + SCRIPT + ")", "torch " + j.get("torch").asText() + " (" + python + ")",
                j.get("threads").asInt(), seconds);
    }

    /** A HF CLIPConfig: the ViT-B/32 vision tower and a minimal text tower (unused here, but CLIPModel has one). */
    static JsonNode config(int layers) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode c = om.createObjectNode().put("model_type", "clip").put("projection_dim", PROJECTION);
        c.putObject("vision_config").put("image_size", IMAGE).put("patch_size", PATCH).put("hidden_size", HIDDEN)
                .put("intermediate_size", INTERMEDIATE).put("num_hidden_layers", layers)
                .put("num_attention_heads", HEADS).put("hidden_act", "quick_gelu");
        c.putObject("text_config").put("hidden_size", 8).put("intermediate_size", 16).put("num_hidden_layers", 1)
                .put("num_attention_heads", 1).put("vocab_size", 16).put("max_position_embeddings", 4);
        return c;
    }

    /** Every tensor of that config with its HF name and shape. */
    static Map<String, Shape> shapes(int layers) {
        Map<String, Shape> s = new LinkedHashMap<>();
        int g = IMAGE / PATCH;
        s.put("vision_model.embeddings.class_embedding", new Shape(HIDDEN));
        s.put("vision_model.embeddings.patch_embedding.weight", new Shape(HIDDEN, 3, PATCH, PATCH));
        s.put("vision_model.embeddings.position_embedding.weight", new Shape(g * g + 1, HIDDEN));
        norm(s, "vision_model.pre_layrnorm", HIDDEN);
        encoder(s, "vision_model.encoder", layers, HIDDEN, INTERMEDIATE);
        norm(s, "vision_model.post_layernorm", HIDDEN);
        s.put("visual_projection.weight", new Shape(PROJECTION, HIDDEN));
        s.put("text_model.embeddings.token_embedding.weight", new Shape(16, 8));
        s.put("text_model.embeddings.position_embedding.weight", new Shape(4, 8));
        encoder(s, "text_model.encoder", 1, 8, 16);
        norm(s, "text_model.final_layer_norm", 8);
        s.put("text_projection.weight", new Shape(PROJECTION, 8));
        s.put("logit_scale", new Shape());
        return s;
    }

    private static void norm(Map<String, Shape> s, String prefix, int n) {
        s.put(prefix + ".weight", new Shape(n));
        s.put(prefix + ".bias", new Shape(n));
    }

    private static void encoder(Map<String, Shape> s, String prefix, int layers, int h, int inter) {
        for (int i = 0; i < layers; i++) {
            String l = prefix + ".layers." + i + ".";
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                s.put(l + "self_attn." + proj + ".weight", new Shape(h, h));
                s.put(l + "self_attn." + proj + ".bias", new Shape(h));
            }
            norm(s, l + "layer_norm1", h);
            s.put(l + "mlp.fc1.weight", new Shape(inter, h));
            s.put(l + "mlp.fc1.bias", new Shape(inter));
            s.put(l + "mlp.fc2.weight", new Shape(h, inter));
            s.put(l + "mlp.fc2.bias", new Shape(h));
            norm(s, l + "layer_norm2", h);
        }
    }

    /**
     * Seeded random tensors made on demand (no checkpoint): N(0, 0.02²) matrices and embeddings, biases 0,
     * layer-norm scales 1 (as HF initialises them).
     */
    static ModelWeights randomWeights(Map<String, Shape> shapes) {
        return new ModelWeights() {
            @Override
            public Set<String> names() {
                return shapes.keySet();
            }

            @Override
            public NDArray load(String name, NDManager manager) {
                Shape shape = shapes.get(name);
                if (shape == null) {
                    throw new AmalgamException("bench weights: missing tensor '" + name + "'");
                }
                if (name.endsWith(".bias")) {
                    return manager.zeros(shape, DataType.FLOAT32);
                }
                if (name.contains("norm") || name.equals("logit_scale")) {
                    return manager.ones(shape, DataType.FLOAT32);
                }
                return manager.randomNormal(0f, 0.02f, shape, DataType.FLOAT32);
            }

            @Override
            public String describe() {
                return "bench random weights";
            }
        };
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
