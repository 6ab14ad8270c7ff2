package dev.amalgam.demo.image;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.eval.datasets.synthetic.ImageSet;
import dev.amalgam.io.Json;
import dev.amalgam.model.clip.ClipCheckpoints;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.TinyClip;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.train.clip.ContrastivePretrainer;
import dev.amalgam.train.clip.VisionFineTuner;
import dev.amalgam.train.clip.ZeroShot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the image zoo: cached task data, a contrastively pretrained tiny CLIP and one vision-only
 * fine-tune per task, as HF checkpoint directories, plus {@code manifest.json} (seeds, settings,
 * SHA-256 of every checkpoint and data file, timings, accuracies). Idempotent: a stage whose output
 * exists with the checksum the manifest records, built with the settings it depends on (data: seed and
 * sizes; pretraining: seed and pretraining settings; fine-tunes: seed, sizes, fine-tuning settings and
 * the current pretrained checkpoint), is skipped.
 *
 * <pre>
 * zoo/data/&lt;task&gt;/&lt;split&gt;.agi    zoo/pretrained/    zoo/&lt;task&gt;/    zoo/multitask/    zoo/manifest.json
 * </pre>
 */
public final class ImageZoo {
    public static final String PRETRAINED = "pretrained";
    /** The multi-task upper bound: the vision tower fine-tuned on every task at once. */
    public static final String MULTITASK = "multitask";
    public static final String MANIFEST = "manifest.json";

    /**
     * Everything that determines the zoo. {@code classCaptionRate}: the share of pretraining captions
     * that name the image's class (1 = the standard zoo; lower = loosely captioned pretraining, see
     * {@link PretrainMix#build(TaskData, long, PretrainMix.Sizes, double)}).
     */
    public record Options(long seed, TaskData.Sizes sizes, PretrainMix.Sizes pretrainSizes,
                          ContrastivePretrainer.Settings pretrain, VisionFineTuner.Settings finetune,
                          boolean evaluate, PrintStream log, double classCaptionRate) {
        public Options {
            if (!(classCaptionRate > 0 && classCaptionRate <= 1)) {
                throw new AmalgamException("class caption rate must be in (0, 1], got " + classCaptionRate);
            }
        }

        public Options(long seed, TaskData.Sizes sizes, PretrainMix.Sizes pretrainSizes,
                       ContrastivePretrainer.Settings pretrain, VisionFineTuner.Settings finetune,
                       boolean evaluate, PrintStream log) {
            this(seed, sizes, pretrainSizes, pretrain, finetune, evaluate, log, 1.0);
        }

        public static Options standard() {
            return new Options(7, TaskData.Sizes.standard(), PretrainMix.Sizes.standard(),
                    ContrastivePretrainer.Settings.standard(), VisionFineTuner.Settings.standard(), true, dev.amalgam.Messages.err());
        }

        /** The same settings with every random draw (data, pretraining, fine-tunes) from {@code newSeed}. */
        public Options withSeed(long newSeed) {
            return new Options(newSeed, sizes, pretrainSizes, pretrain, finetune, evaluate, log, classCaptionRate);
        }

        public Options withClassCaptionRate(double rate) {
            return new Options(seed, sizes, pretrainSizes, pretrain, finetune, evaluate, log, rate);
        }

        JsonNode fingerprint() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("seed", seed);
            n.set("sizes", Json.MAPPER.valueToTree(sizes));
            n.set("pretrain_sizes", Json.MAPPER.valueToTree(pretrainSizes));
            n.set("pretrain", Json.MAPPER.valueToTree(pretrain));
            putCaptionRate(n);
            n.set("finetune", Json.MAPPER.valueToTree(finetune));
            return normalised(n);
        }

        /** Only when not 1, so zoos built before the option existed keep their fingerprints. */
        private void putCaptionRate(ObjectNode n) {
            if (classCaptionRate != 1.0) {
                n.put("class_caption_rate", classCaptionRate);
            }
        }

        /** What a stage's output depends on: data (seed, sizes), pretraining, or a fine-tune. */
        JsonNode stageFingerprint(String stage) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("seed", seed);
            switch (stage) {
                case "data" -> n.set("sizes", Json.MAPPER.valueToTree(sizes));
                case PRETRAINED -> {
                    n.set("pretrain_sizes", Json.MAPPER.valueToTree(pretrainSizes));
                    n.set("pretrain", Json.MAPPER.valueToTree(pretrain));
                    putCaptionRate(n);
                }
                default -> {
                    n.set("sizes", Json.MAPPER.valueToTree(sizes));
                    n.set("finetune", Json.MAPPER.valueToTree(finetune));
                }
            }
            return normalised(n);
        }

        /** As read back from manifest.json (float fields become doubles), so comparisons are exact. */
        private static JsonNode normalised(JsonNode n) {
            try {
                return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(n));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Path zoo;
    private final Options opt;
    private final ObjectNode manifest;

    private ImageZoo(Path zoo, Options opt) {
        this.zoo = zoo;
        this.opt = opt;
        this.manifest = loadManifest(zoo, opt);
    }

    public static Path modelDir(Path zoo, String name) {
        return zoo.resolve(name);
    }

    public static Path dataFile(Path zoo, ImageTask task, String split) {
        return zoo.resolve("data").resolve(task.id()).resolve(split + ".agi");
    }

    /** Builds what is missing or stale; returns the manifest. */
    public static JsonNode build(Path zooDir, Options options) {
        ImageZoo z = new ImageZoo(zooDir, options);
        z.run();
        return z.manifest;
    }

    /** Builds only the task data (DIR/data/<task>/<split>.agi and the manifest), no models. */
    public static void buildData(Path zooDir, Options options) {
        ImageZoo z = new ImageZoo(zooDir, options);
        z.buildData(new TaskData(options.seed(), options.sizes()));
    }

    /**
     * Builds with {@link ZooThreads} (one libtorch thread by default). The tiny CLIP's ops are so small
     * that a second OpenMP thread only adds synchronisation: a fine-tuning step (batch 64) cost
     * 0.65–0.78 CPU-s with 2 threads and 0.058 CPU-s with 1 on the shared 2-core machine
     * (docs/image-suite.md, "Measured build").
     */
    private void run() {
        Engine.warmUp();
        ZooThreads.run(() -> {
            runWithThreadsSet();
            return null;
        });
    }

    private void runWithThreadsSet() {
        long t0 = System.nanoTime();
        // Checkpoints are bit-reproducible for a given thread count only (threaded reductions change
        // the summation order), so the manifest says which one built them.
        manifest.put("torch_intra_op_threads", ZooThreads.configured());
        TaskData data = new TaskData(opt.seed(), opt.sizes());
        buildData(data);
        WordTokenizer tok = WordTokenizer.fromTexts(PretrainMix.vocabularyTexts());
        TinyClip arch = TinyClip.standard(tok.vocabSize());
        try (NDManager m = NDManager.newBaseManager()) {
            if (!valid(PRETRAINED)) {
                long t = System.nanoTime();
                PretrainMix mix = PretrainMix.build(data, opt.seed(), opt.pretrainSizes(), opt.classCaptionRate());
                try (ClipModel model = arch.initialise(opt.seed(), m)) {
                    int every = Math.max(1, opt.pretrain().steps() / 10);

                    float[] losses = ContrastivePretrainer.train(model, mix, tok, opt.pretrain(), s -> {
                        if ((s + 1) % every == 0) {
                            opt.log().printf("image zoo: pretraining step %d/%d%n", s + 1, opt.pretrain().steps());
                        }
                    });

                    save(model, arch, tok, PRETRAINED, null);
                    ObjectNode e = (ObjectNode) manifest.path("models").path(PRETRAINED);
                    e.put("seconds", secs(t));
                    e.put("first_loss", losses[0]);
                    e.put("final_loss", mean(losses, losses.length - Math.max(1, losses.length / 20), losses.length));
                    e.put("pairs", mix.images().count());
                    writeManifest();
                }
                opt.log().printf("image zoo: pretrained in %.1f s%n", secs(t));
            }
            try (ImageSuite suite = ImageSuite.open(zoo)) {
                ClipModel base = suite.pretrained();
                for (ImageTask task : ImageTask.values()) {
                    if (valid(task.id())) {
                        continue;
                    }
                    long t = System.nanoTime();
                    ZeroShotHead head = suite.head(task);
                    try (ClipModel model = (ClipModel) ModelRegistry.fromCheckpoint(modelDir(zoo, PRETRAINED), m)) {
                        float[] losses = VisionFineTuner.train(model, head, suite.gray(task, "train"), opt.finetune());
                        double val = ZeroShot.accuracy(model, head, suite.split(task, "val").nchw(),
                                suite.split(task, "val").labels(), TaskData.SIDE);
                        save(model, arch, tok, task.id(), ClipCheckpoints.sha256(safetensors(PRETRAINED)));
                        ObjectNode e = (ObjectNode) manifest.path("models").path(task.id());
                        e.put("seconds", secs(t));
                        e.put("first_loss", losses[0]);
                        e.put("final_loss", mean(losses, losses.length - Math.max(1, losses.length / 20), losses.length));
                        e.put("val_accuracy", val);
                        writeManifest();
                    }
                    opt.log().printf("image zoo: fine-tuned %s in %.1f s%n", task.id(), secs(t));
                }
                if (!valid(MULTITASK)) {
                    long t = System.nanoTime();
                    List<ZeroShotHead> heads = new java.util.ArrayList<>();
                    List<GrayImages> trains = new java.util.ArrayList<>();
                    for (ImageTask task : ImageTask.values()) {
                        heads.add(suite.head(task));
                        trains.add(suite.gray(task, "train"));
                    }
                    VisionFineTuner.Settings s = multiTaskSettings(opt.finetune());
                    try (ClipModel model = (ClipModel) ModelRegistry.fromCheckpoint(modelDir(zoo, PRETRAINED), m)) {
                        float[] losses = VisionFineTuner.trainMultiTask(model, heads, trains, s);
                        double val = 0;
                        for (ImageTask task : ImageTask.values()) {
                            ImageSet v = suite.split(task, "val");
                            val += ZeroShot.accuracy(model, suite.head(task), v.nchw(), v.labels(), TaskData.SIDE);
                        }
                        save(model, arch, tok, MULTITASK, ClipCheckpoints.sha256(safetensors(PRETRAINED)));
                        ObjectNode e = (ObjectNode) manifest.path("models").path(MULTITASK);
                        e.put("steps", s.steps());
                        e.put("seconds", secs(t));
                        e.put("first_loss", losses[0]);
                        e.put("final_loss", mean(losses, losses.length - Math.max(1, losses.length / 20), losses.length));
                        e.put("val_accuracy", val / ImageTask.values().length);
                        writeManifest();
                    }
                    opt.log().printf("image zoo: fine-tuned the multi-task model in %.1f s%n", secs(t));
                }
                if (opt.evaluate() && !manifest.has("results")) {
                    long t = System.nanoTime();
                    manifest.set("results", ZooEvaluation.run(suite, zoo, m));
                    manifest.put("evaluation_seconds", secs(t));
                    writeManifest();
                    opt.log().printf("image zoo: evaluated in %.1f s%n", secs(t));
                }
            }
        }
        opt.log().printf("image zoo: done in %.1f s (%s)%n", secs(t0), zoo);
    }

    /**
     * The single-task recipe with as many updates as all single-task fine-tunes together, so the
     * multi-task model sees as many training examples as the four fine-tunes combined.
     */
    public static VisionFineTuner.Settings multiTaskSettings(VisionFineTuner.Settings single) {
        return new VisionFineTuner.Settings(single.steps() * ImageTask.values().length, single.batch(), single.lr(),
                single.weightDecay(), single.warmupRatio(), single.seed());
    }

    private void buildData(TaskData data) {
        JsonNode want = opt.stageFingerprint("data");
        if (!manifest.path("data_settings").equals(want)) {
            manifest.putObject("data");
            manifest.set("data_settings", want);
        }
        ObjectNode files = (ObjectNode) manifest.path("data");
        for (ImageTask task : ImageTask.values()) {
            for (String split : TaskData.splitNames(task)) {
                Path f = dataFile(zoo, task, split);
                String key = task.id() + "/" + split;
                if (Files.isRegularFile(f) && ClipCheckpoints.sha256(f).equals(files.path(key).asText())) {
                    continue;
                }
                data.build(task, split).write(f);
                files.put(key, ClipCheckpoints.sha256(f));
                manifest.remove("results");
            }
        }
        writeManifest();
    }

    private void save(ClipModel model, TinyClip arch, WordTokenizer tok, String name, String baseSha) {
        Path dir = modelDir(zoo, name);
        deleteRecursively(dir);
        ClipCheckpoints.save(model, arch.configJson(), tok, dir, Map.of("amalgam_image_zoo", name));
        ObjectNode e = ((ObjectNode) manifest.path("models")).putObject(name);
        e.put("sha256", ClipCheckpoints.sha256(safetensors(name)));
        e.put("config_sha256", ClipCheckpoints.sha256(dir.resolve("config.json")));
        e.put("tokenizer_sha256", ClipCheckpoints.sha256(dir.resolve("tokenizer.json")));
        e.set("settings", opt.stageFingerprint(name));
        if (baseSha != null) {
            e.put("base_sha256", baseSha);
            e.put("trained", "vision_model.*, visual_projection.weight");
        }
        manifest.remove("results");
    }

    private Path safetensors(String name) {
        return modelDir(zoo, name).resolve("model.safetensors");
    }

    /** The stage's checkpoint exists, matches its recorded checksum, and (fine-tunes) its recorded base. */
    private boolean valid(String name) {
        JsonNode e = manifest.path("models").path(name);
        Path f = safetensors(name);
        if (!e.has("sha256") || !Files.isRegularFile(f) || !ClipCheckpoints.sha256(f).equals(e.get("sha256").asText())
                || !e.path("settings").equals(opt.stageFingerprint(name))) {
            return false;
        }
        if (e.has("base_sha256")) {
            JsonNode base = manifest.path("models").path(PRETRAINED);
            return base.path("sha256").asText().equals(e.get("base_sha256").asText());
        }
        return true;
    }

    private static ObjectNode loadManifest(Path zoo, Options opt) {
        Path f = zoo.resolve(MANIFEST);
        ObjectNode m = null;
        if (Files.isRegularFile(f)) {
            JsonNode old = Json.readFile(f);
            if (old instanceof ObjectNode o && "amalgam-image-zoo/1".equals(o.path("format").asText())) {
                m = o;
            }
        }
        if (m == null) {
            m = Json.MAPPER.createObjectNode();
            m.put("format", "amalgam-image-zoo/1");
            m.putObject("data");
            m.putObject("models");
        }
        if (!m.path("options").equals(opt.fingerprint())) {
            m.remove("results");
        }
        m.set("options", opt.fingerprint());
        m.set("architecture", TinyClip.standard(0).configJson().without(List.of("text_config")));
        return m;
    }

    /** Writes the manifest atomically, and only when it changed: opening a built zoo (e.g. read-only) writes nothing. */
    private void writeManifest() {
        try {
            Files.createDirectories(zoo);
            String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n";
            Path file = zoo.resolve(MANIFEST);
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                return;
            }
            Path tmp = zoo.resolve(MANIFEST + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, zoo.resolve(MANIFEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AmalgamException(zoo.resolve(MANIFEST) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new AmalgamException(dir + ": cannot delete (" + e.getMessage() + ")", e);
        }
    }

    private static double secs(long start) {
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    /** Loads libtorch up front so the first stage's timing excludes it. */
    private static final class Engine {
        static void warmUp() {
            ai.djl.engine.Engine.getInstance();
        }
    }

    /**
     * {@code java -cp ... dev.amalgam.demo.image.ImageZoo [ZOO_DIR] [--class-caption-rate R]} (default
     * models/zoo/image, rate 1).
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        dev.amalgam.Messages.toStandardError();
        try {
            Path dir = Path.of("models/zoo/image");
            Options o = Options.standard();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--class-caption-rate") && i + 1 < args.length) {
                    o = o.withClassCaptionRate(parseRate(args[++i]));
                } else if (args[i].startsWith("-")) {
                    throw new AmalgamException("ImageZoo: unknown option '" + args[i]
                            + "' (usage: ImageZoo [ZOO_DIR] [--class-caption-rate R])");
                } else {
                    dir = Path.of(args[i]);
                }
            }
            build(dir, o);
        } catch (AmalgamException e) {
            dev.amalgam.Messages.err().println(e.getMessage());
            System.exit(2);
        }
    }

    private static double parseRate(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new AmalgamException("--class-caption-rate: not a number: '" + v + "'");
        }
    }

}
