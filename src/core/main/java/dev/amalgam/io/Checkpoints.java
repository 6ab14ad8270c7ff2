package dev.amalgam.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Opens any supported checkpoint path; the single place where input formats are dispatched. */
public final class Checkpoints {
    /** Side files copied along with the weights (as MergeKit does). */
    public static final List<String> AUX_FILES = List.of(
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json",
            "merges.txt", "tokenizer.model", "spiece.model", "sentencepiece.bpe.model", "added_tokens.json",
            "generation_config.json", "preprocessor_config.json", "chat_template.json", "chat_template.jinja");

    /** A fine-tune's head (train.CheckpointSaver, serving): copied by {@code convert}, never merged. */
    public static final List<String> HEAD_FILES = List.of("head.safetensors", "head.json");
    /** The folder of a merge's per-task heads ({@code heads/<task>/}, merge.TaskHeads). */
    public static final String HEADS_DIR = "heads";

    private static final List<String> PICKLE_SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle");

    private Checkpoints() {
    }

    /**
     * Opens a Hugging Face model directory (single or sharded safetensors), a single
     * {@code .safetensors} file, or a {@code model.safetensors.index.json}. Pickles are refused.
     */
    public static Checkpoint open(Path path) {
        if (!Files.exists(path)) {
            throw new AmalgamException(path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            return openDirectory(path);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            return single(path, SafetensorsFile.open(path), null, List.of());
        }
        if (name.endsWith(".index.json")) {
            return sharded(path, path, null, List.of());
        }
        if (name.endsWith(".onnx")) {
            return openOnnx(path);
        }
        if (isPickle(name)) {
            throw pickle(path);
        }
        throw new AmalgamException(path + ": unrecognized checkpoint format (expected a directory, .safetensors, "
                + "model.safetensors.index.json or .onnx)");
    }

    /** Opens an ONNX file through its {@link CheckpointImporter} (a Checkpoint of format "onnx" with HF keys). */
    static Checkpoint openOnnx(Path onnxFile) {
        for (CheckpointImporter importer : java.util.ServiceLoader.load(CheckpointImporter.class,
                Checkpoints.class.getClassLoader())) {
            if (importer.suffix().equals(".onnx")) {
                return importer.open(onnxFile);
            }
        }
        throw new AmalgamException(onnxFile + ": reading ONNX needs the ONNX importer (dev.amalgam.io.onnx) on the class path");
    }

    private static Checkpoint openDirectory(Path dir) {
        ModulatedDirectory.refuse(dir);
        ObjectNode config = readConfig(dir);
        List<Path> aux = auxFiles(dir);
        Path index = dir.resolve(ShardedWriter.INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return sharded(dir, index, config, aux);
        }
        Path single = dir.resolve(ShardedWriter.SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return single(dir, SafetensorsFile.open(single), config, aux);
        }
        List<Path> files = list(dir);
        List<Path> st = files.stream().filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList();
        if (st.size() == 1) {
            return single(dir, SafetensorsFile.open(st.get(0)), config, aux);
        }
        if (st.size() > 1) {
            throw new AmalgamException(dir + ": " + st.size() + " .safetensors files but no "
                    + ShardedWriter.INDEX_FILE + " to say how they fit together");
        }
        List<Path> onnx = files.stream().filter(p -> p.getFileName().toString().endsWith(".onnx")).toList();
        if (onnx.size() == 1) {
            return openOnnx(onnx.get(0));
        }
        for (Path p : files) {
            if (isPickle(p.getFileName().toString().toLowerCase(Locale.ROOT))) {
                throw pickle(p);
            }
        }
        throw new AmalgamException(dir + ": no weights found (expected model.safetensors or "
                + ShardedWriter.INDEX_FILE + ")");
    }

    private static Checkpoint single(Path location, SafetensorsFile f, ObjectNode config, List<Path> aux) {
        return new Checkpoint(location, "safetensors", f, config, aux,
                Map.of(f.path().getFileName().toString(), f.names()), f.metadata(), List.of(f.path()));
    }

    private static Checkpoint sharded(Path location, Path index, ObjectNode config, List<Path> aux) {
        ShardedCheckpoint s = ShardedCheckpoint.open(index);
        List<Path> weights = new ArrayList<>(s.shardFiles());
        weights.add(0, index);
        return new Checkpoint(location, "sharded-safetensors", s, config, aux, s.shardMap(), s.metadata(), weights);
    }

    private static ObjectNode readConfig(Path dir) {
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            return null;
        }
        JsonNode n = Json.readFile(cfg);
        if (!n.isObject()) {
            throw new AmalgamException(cfg + ": not a JSON object");
        }
        return (ObjectNode) n;
    }

    private static List<Path> auxFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        for (String n : AUX_FILES) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Task-head files beside the weights (see {@link Checkpoint#headFiles()}): relative name → file, sorted. */
    static Map<String, Path> headFiles(Path dir) {
        Map<String, Path> out = new java.util.TreeMap<>();
        for (String n : HEAD_FILES) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                out.put(n, p);
            }
        }
        Path heads = dir.resolve(HEADS_DIR);
        if (Files.isDirectory(heads)) {
            try (Stream<Path> s = Files.walk(heads)) {
                s.filter(Files::isRegularFile).forEach(p -> out.put(dir.relativize(p).toString().replace('\\', '/'), p));
            } catch (IOException e) {
                throw new AmalgamException(heads + ": cannot list (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new AmalgamException(dir + ": cannot list directory (" + e.getMessage() + ")");
        }
    }

    private static boolean isPickle(String lowerName) {
        return PICKLE_SUFFIXES.stream().anyMatch(lowerName::endsWith);
    }

    private static AmalgamException pickle(Path p) {
        return new AmalgamException(p + ": PyTorch pickle checkpoints are refused (unpickling can run arbitrary code); "
                + "convert to safetensors first, e.g. with the Hugging Face 'safetensors' convert script");
    }
}
