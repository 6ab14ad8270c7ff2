package dev.amalgam.io;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model on disk: named lazy tensors, its {@code config.json} (null if absent) and the side files
 * (tokenizer, generation config, …) that writers copy to outputs unchanged, as MergeKit does.
 * Open one with {@link Checkpoints#open(Path)}.
 */
public final class Checkpoint implements TensorSource {
    private final Path location;
    private final String format;
    private final TensorSource tensors;
    private final ObjectNode config;
    private final List<Path> auxFiles;
    private final Map<String, List<String>> shardMap;
    private final Map<String, String> metadata;
    private final List<Path> weightFiles;

    public Checkpoint(Path location, String format, TensorSource tensors, ObjectNode config, List<Path> auxFiles,
                      Map<String, List<String>> shardMap, Map<String, String> metadata, List<Path> weightFiles) {
        this.location = location;
        this.format = format;
        this.tensors = tensors;
        this.config = config;
        this.auxFiles = List.copyOf(auxFiles);
        this.shardMap = shardMap;
        this.metadata = metadata;
        this.weightFiles = List.copyOf(weightFiles);
    }

    /** The path given to {@link Checkpoints#open(Path)}. */
    public Path location() {
        return location;
    }

    /** "safetensors", "sharded-safetensors" (or "onnx" once that importer is in). */
    public String format() {
        return format;
    }

    /** The parsed config.json, or null if the checkpoint has none. */
    public ObjectNode config() {
        return config;
    }

    /** Side files to copy to outputs (tokenizer.json, tokenizer_config.json, …), config.json excluded. */
    public List<Path> auxFiles() {
        return auxFiles;
    }

    /** Weight file name → tensor names stored in it. */
    public Map<String, List<String>> shardMap() {
        return shardMap;
    }

    /** The safetensors {@code __metadata__} (of the first shard). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The files holding the weights (for input hashes and overwrite checks). */
    public List<Path> weightFiles() {
        return weightFiles;
    }

    /**
     * The task-head files a fine-tuned or merged directory carries beside its weights (relative name →
     * file): {@code head.safetensors} + {@code head.json} of {@code amalgam finetune}, and everything under
     * {@code heads/} (one folder per task of a merge). Empty for a single file.
     */
    public Map<String, Path> headFiles() {
        return java.nio.file.Files.isDirectory(location) ? Checkpoints.headFiles(location) : Map.of();
    }

    /** The underlying tensor source. */
    public TensorSource tensors() {
        return tensors;
    }

    @Override
    public List<String> names() {
        return tensors.names();
    }

    @Override
    public boolean contains(String name) {
        return tensors.contains(name);
    }

    @Override
    public TensorInfo info(String name) {
        return tensors.info(name);
    }

    @Override
    public ByteBuffer bytes(String name) {
        return tensors.bytes(name);
    }

    @Override
    public <R> R withBytes(String name, java.util.function.Function<ByteBuffer, R> reader) {
        return tensors.withBytes(name, reader);
    }

    @Override
    public void readInto(String name, ByteBuffer dst) {
        tensors.readInto(name, dst);
    }

    @Override
    public String describe() {
        return location.toString();
    }

    @Override
    public void close() {
        tensors.close();
    }
}
