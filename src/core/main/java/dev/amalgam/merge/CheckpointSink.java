package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.tensor.TensorBridge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a merged model as a Hugging Face directory: sharded safetensors in the chosen float dtype,
 * config.json (torch_dtype updated), tokenizer/aux files and extra side files, all under a temporary
 * name renamed atomically on commit. Closing without commit leaves nothing behind.
 */
public final class CheckpointSink implements MergeSink, AutoCloseable {
    private final Path out;
    private final DType outDtype;
    private final long maxShardSize;
    private final Map<String, String> metadata;
    private final Collection<Path> inputs;
    private final List<Path> auxFiles;
    private final ObjectNode config;
    private final Map<String, ShardedWriter.Content> sideFiles = new LinkedHashMap<>();
    private ShardedWriter writer;

    /**
     * @param outDtype float dtype of merged tensors, or null to keep each tensor's input dtype
     * @param inputs   every input path (the writer refuses to write over any of them)
     */
    public CheckpointSink(Path out, DType outDtype, long maxShardSize, Map<String, String> metadata,
                          Collection<Path> inputs, List<Path> auxFiles, ObjectNode config) {
        this.out = out;
        this.outDtype = outDtype;
        this.maxShardSize = maxShardSize;
        this.metadata = metadata;
        this.inputs = inputs;
        this.auxFiles = auxFiles;
        this.config = config;
    }

    /** Adds a file written next to the weights on commit (recipe, saliency tables). */
    public void addSideFile(String name, byte[] content) {
        sideFiles.put(name, out -> out.write(content));
    }

    /** Adds a file streamed on commit; {@code name} may hold folders (a task head: heads/&lt;task&gt;/head.safetensors). */
    public void addSideFile(String name, ShardedWriter.Content content) {
        sideFiles.put(name, content);
    }

    @Override
    public void begin(List<TensorInfo> plan, MergeMethod method, MergeInputs in) {
        List<TensorInfo> outPlan = new ArrayList<>(plan.size());
        for (TensorInfo t : plan) {
            outPlan.add(t.dtype().isFloat() ? t.withDtype(dtypeFor(t)) : t);
        }
        writer = new ShardedWriter(out, outPlan, maxShardSize, metadata, inputs);
    }

    private DType dtypeFor(TensorInfo t) {
        return outDtype != null ? outDtype : t.dtype();
    }

    @Override
    public void writeMerged(TensorInfo info, NDArray merged) {
        // The writer here is synchronous, so the bytes may alias merged's memory (no per-tensor copy).
        writer.write(info.name(), TensorBridge.fromF32Transient(merged, dtypeFor(info)));
    }

    @Override
    public void writeCopied(TensorInfo info, ByteBuffer bytes) {
        writer.write(info.name(), bytes);
    }

    @Override
    public void commit(MergeMethod method) {
        for (Path aux : auxFiles) {
            writer.copyFile(aux);
        }
        if (config != null) {
            ObjectNode c = config.deepCopy();
            if (outDtype != null) {
                c.put("torch_dtype", torchDtype(outDtype));
            }
            writer.writeFile("config.json", prettyJson(c));
        }
        sideFiles.forEach(writer::writeFile);
        writer.commit();
    }

    static byte[] prettyJson(Object o) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String torchDtype(DType d) {
        return switch (d) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F64 -> "float64";
            default -> "float32";
        };
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
