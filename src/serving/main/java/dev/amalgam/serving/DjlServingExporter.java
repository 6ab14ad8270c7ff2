package dev.amalgam.serving;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.eval.suites.SuiteCatalog;
import dev.amalgam.eval.suites.TaskSpec;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TempDirs;
import dev.amalgam.merge.Materializer;
import dev.amalgam.merge.ModulatedSink;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.train.FineTunedHead;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import dev.amalgam.model.clip.ClipZeroShot;

/**
 * Writes a DJL Serving model directory (Java mode, PyTorch engine) for an Amalgam model: the HF
 * safetensors as they are, config and tokenizer, head files, {@code serving.properties} naming
 * {@link AmalgamBlockFactory} and a translator factory, and the Amalgam jar under {@code libs/}.
 * Everything is written to a temporary sibling and renamed at the end; on error nothing is left.
 */
public final class DjlServingExporter {
    private DjlServingExporter() {
    }

    /** The exported directory and, if asked for, the .zip beside it. */
    public record Result(Path dir, Path zip, ServingKind kind) {
    }

    public static Result export(Path modelDir, Path out, ExportRequest req) {
        Path target = out.toAbsolutePath().normalize();
        Path zipTarget = req.zip() ? target.resolveSibling(target.getFileName() + ".zip") : null;
        if (Files.exists(target)) {
            throw new AmalgamException(out + ": already exists (choose a new output directory)");
        }
        if (zipTarget != null && Files.exists(zipTarget)) {
            throw new AmalgamException(zipTarget + ": already exists");
        }
        if (!Files.isDirectory(modelDir)) {
            throw new AmalgamException(modelDir + ": not a model directory");
        }
        Path work = TempDirs.create(target);
        try {
            Path source = resolveSource(modelDir, req, work);
            Path staged = work.resolve(target.getFileName().toString());
            Files.createDirectory(staged);
            boolean modulated = !source.equals(modelDir);
            ServingKind kind = writeModelDir(source, staged, req, modulated);
            Path stagedZip = null;
            if (zipTarget != null) {
                stagedZip = work.resolve(zipTarget.getFileName().toString());
                zip(staged, stagedZip);
            }
            Path zipped = stagedZip;
            TempDirs.publish(work, () -> {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                if (zipped != null) {
                    Files.move(zipped, zipTarget, StandardCopyOption.ATOMIC_MOVE);
                }
            });
            return new Result(target, zipTarget, kind);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TempDirs.discard(work);
            TempDirs.delete(work); // after publishing, what was staged beside the output
        }
    }

    /** The HF directory to export: MODEL_DIR, or the materialised task of a modulated output. */
    private static Path resolveSource(Path modelDir, ExportRequest req, Path work) {
        if (!Files.isRegularFile(modelDir.resolve(ModulatedSink.MANIFEST))) {
            return modelDir;
        }
        Materializer.Modulated mod = Materializer.open(modelDir);
        if (req.task() == null) {
            throw new AmalgamException(modelDir + ": a task-modulated (" + mod.method() + ") output; pick a task with --task "
                    + "(one of " + mod.tasks() + ")");
        }
        mod.taskIndex(req.task());
        Path materialized = work.resolve("materialized");
        Materializer.materialize(modelDir, req.task(), materialized, null, Long.MAX_VALUE);
        return materialized;
    }

    private static ServingKind writeModelDir(Path source, Path dir, ExportRequest req, boolean modulated)
            throws IOException {
        Path configFile = source.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new AmalgamException(configFile + ": not found (an exported model needs its config.json)");
        }
        ServingKind kind;
        try (Checkpoint ckpt = Checkpoints.open(source)) {
            if (!ckpt.format().contains("safetensors")) {
                throw new AmalgamException(source + ": weights are " + ckpt.format()
                        + "; convert to safetensors first (amalgam convert)");
            }
            HfConfig config = new HfConfig(ckpt.config(), configFile.toString());
            String modelType = config.text("model_type", null);
            kind = req.kind() != null ? req.kind() : ServingKind.forModelType(modelType);
            if (kind == null || ServingKind.forModelType(modelType) != kind) {
                throw new AmalgamException(configFile + ": model_type '" + modelType + "' cannot be exported"
                        + (kind == null ? "" : " as " + kind.id())
                        + " (bert → text-classification; gpt2, llama, mistral, qwen2 → text-generation; "
                        + "clip → zero-shot-image-classification)");
            }
            if (kind == ServingKind.TEXT_GENERATION) {
                ModelRegistry.factoryFor(config);
            }
            Path tokenizer = source.resolve("tokenizer.json");
            if (!Files.isRegularFile(tokenizer)) {
                throw new AmalgamException(tokenizer + ": not found (the served model tokenizes with it)");
            }
            for (Path w : ckpt.weightFiles()) {
                Files.copy(w, dir.resolve(w.getFileName().toString()));
            }
            for (Path a : ckpt.auxFiles()) {
                Files.copy(a, dir.resolve(a.getFileName().toString()));
            }
            ObjectNode cfg = ckpt.config();
            Files.writeString(dir.resolve("config.json"), cfg.toPrettyString());
        }
        if (req.task() != null && kind != ServingKind.ZERO_SHOT_IMAGE_CLASSIFICATION && !modulated) {
            throw new AmalgamException("--task " + req.task() + ": only for EMR/TALL outputs (modulated.json) and CLIP "
                    + "suite tasks; " + source + " is neither");
        }
        Map<String, String> extra = new LinkedHashMap<>();
        switch (kind) {
            case TEXT_CLASSIFICATION -> copyHead(req.head() != null ? req.head() : source, dir);
            case TEXT_GENERATION -> extra.put(ServingKeys.MAX_NEW_TOKENS, Integer.toString(req.maxNewTokens()));
            case ZERO_SHOT_IMAGE_CLASSIFICATION -> writeZeroShotHead(dir, req);
        }
        Path libs = Files.createDirectory(dir.resolve("libs"));
        AmalgamJar.writeAmalgamJar(req.amalgamJar(), libs.resolve(AmalgamJar.JAR_NAME));
        for (Path dep : AmalgamJar.dependencyJars()) {
            Files.copy(dep, libs.resolve(dep.getFileName().toString()));
        }
        Files.writeString(dir.resolve(ServingKeys.FILE), servingProperties(kind, req, extra));
        return kind;
    }

    private static void copyHead(Path from, Path dir) throws IOException {
        Path json = from.resolve(ServingKeys.HEAD_JSON);
        Path file = from.resolve(ServingKeys.HEAD_FILE);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(file)) {
            throw new AmalgamException(from + ": no " + ServingKeys.HEAD_FILE + " + " + ServingKeys.HEAD_JSON
                    + " (a BERT classifier export needs the head of an 'amalgam finetune' checkpoint; see --head)");
        }
        FineTunedHead.read(from);
        Files.copy(json, dir.resolve(ServingKeys.HEAD_JSON));
        Files.copy(file, dir.resolve(ServingKeys.HEAD_FILE));
    }

    /** Class names + templates from --classes/--templates or a suite task, embedded with the model's text tower. */
    private static void writeZeroShotHead(Path dir, ExportRequest req) {
        List<String> classes = req.classes();
        List<String> templates = req.templates();
        if (classes.isEmpty()) {
            if (req.task() == null) {
                throw new AmalgamException("a CLIP export needs class names: --classes a,b,c (and --templates) "
                        + "or --task NAME of a task suite");
            }
            SuiteCatalog catalog = req.suiteDir() != null ? SuiteCatalog.fromDirectory(req.suiteDir())
                    : SuiteCatalog.builtin();
            TaskSpec spec = catalog.task(req.task());
            classes = spec.classes();
            templates = templates.isEmpty() ? spec.templates() : templates;
        }
        if (templates.isEmpty()) {
            templates = List.of("a photo of a {}.");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            HfModelBlock block = ModelRegistry.fromCheckpoint(dir, m);
            if (!(block instanceof ClipModel clip)) {
                block.close();
                throw new AmalgamException(dir + ": not a CLIP model");
            }
            try (clip) {
                ZeroShotHead head = ClipZeroShot.build(clip, dir, classes, templates);
                ZeroShotHeadFiles.write(dir, head, classes, templates);
            }
        }
    }

    static String servingProperties(ServingKind kind, ExportRequest req, Map<String, String> extra) {
        List<String> lines = new ArrayList<>();
        lines.add("# DJL Serving model directory written by 'amalgam export' (Java mode, PyTorch engine).");
        lines.add("# The Amalgam block factory loads the HF safetensors here; DJL reads no .pt/.params file.");
        lines.add("engine=PyTorch");
        lines.add("blockFactory=" + AmalgamBlockFactory.class.getName());
        lines.add("translatorFactory=" + kind.translatorFactory());
        lines.add(ServingKeys.KIND + "=" + kind.id());
        extra.forEach((k, v) -> lines.add(k + "=" + v));
        lines.add("option.hasParameter=false");
        lines.add("option.mapLocation=true");
        lines.add("batch_size=" + req.batchSize());
        lines.add("max_batch_delay=" + req.maxBatchDelay());
        lines.add("minWorkers=1");
        lines.add("maxWorkers=1");
        return String.join("\n", lines) + "\n";
    }

    /** A zip whose single top-level folder is the model directory (DJL unpacks such nested folders). */
    private static void zip(Path dir, Path zip) throws IOException {
        String root = dir.getFileName().toString();
        try (OutputStream os = Files.newOutputStream(zip);
             ZipOutputStream out = new ZipOutputStream(os);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                String name = rel.isEmpty() ? root + "/" : root + "/" + rel + (Files.isDirectory(f) ? "/" : "");
                out.putNextEntry(new ZipEntry(name));
                if (Files.isRegularFile(f)) {
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
    }
}
