package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TempDirs;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.tensor.TensorBridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Output of a {@link TaskModulated} method (EMR, TALL): a directory holding
 * <pre>
 * modulated.json               method, tasks, per-task scales, base checkpoint path
 * shared/model*.safetensors    the shared delta (F32), one tensor per float tensor of the base
 * masks/&lt;task&gt;/model*.safetensors   per-task masks, bit-packed U8 [ceil(n/8)], bit i of byte j = element 8j+i
 * </pre>
 * Task t's model is θ_t = θ_0 + scale_t · (mask_t ⊙ shared); {@code amalgam materialize} writes it.
 * The directory appears atomically on commit; until then it is a {@link TempDirs} temporary.
 */
public final class ModulatedSink implements MergeSink, AutoCloseable {
    public static final String MANIFEST = dev.amalgam.io.ModulatedDirectory.MANIFEST;
    private final Path out;
    private Path temp;
    private boolean committed;
    private final long maxShardSize;
    private final Map<String, String> metadata;
    private final Collection<Path> inputs;
    private final Path basePath;
    private final Map<String, ShardedWriter.Content> sideFiles = new java.util.LinkedHashMap<>();
    private ShardedWriter shared;
    private final List<ShardedWriter> masks = new ArrayList<>();
    private List<String> tasks;

    public ModulatedSink(Path out, long maxShardSize, Map<String, String> metadata, Collection<Path> inputs, Path basePath) {
        this.out = out.toAbsolutePath().normalize();
        this.maxShardSize = maxShardSize;
        this.metadata = metadata;
        this.inputs = inputs;
        this.basePath = basePath.toAbsolutePath().normalize();
        if (Files.exists(this.out)) {
            throw new AmalgamException(out + ": output already exists; choose a new directory");
        }
    }

    public void addSideFile(String name, byte[] content) {
        sideFiles.put(name, out -> out.write(content));
    }

    /** Adds a file streamed on commit; {@code name} may hold folders (heads/&lt;task&gt;/…). */
    public void addSideFile(String name, ShardedWriter.Content content) {
        sideFiles.put(name, content);
    }

    @Override
    public void begin(List<TensorInfo> plan, MergeMethod method, MergeInputs in) {
        tasks = in.taskNames();
        List<TensorInfo> floatPlan = new ArrayList<>();
        List<TensorInfo> maskPlan = new ArrayList<>();
        for (TensorInfo t : plan) {
            if (t.dtype().isFloat()) {
                floatPlan.add(t.withDtype(DType.F32));
                maskPlan.add(new TensorInfo(t.name(), DType.U8, new long[]{(t.numel() + 7) / 8}));
            }
        }
        temp = TempDirs.create(out);
        try {
            Files.createDirectory(temp.resolve("masks")); // not createDirectories: never re-create a temp an interrupt removed
        } catch (IOException e) {
            throw new AmalgamException(out + ": cannot create output: " + e.getMessage());
        }
        shared = new ShardedWriter(temp.resolve("shared"), floatPlan, maxShardSize, metadata, inputs);
        for (String task : tasks) {
            masks.add(new ShardedWriter(temp.resolve("masks").resolve(task), maskPlan, maxShardSize, metadata, inputs));
        }
    }

    @Override
    public void writeMerged(TensorInfo info, NDArray merged) {
        throw new IllegalStateException("a task-modulated merge writes modulations, not merged tensors");
    }

    @Override
    public void writeCopied(TensorInfo info, ByteBuffer bytes) {
        // integer/bool tensors come from the base when a task model is materialised
    }

    @Override
    public void writeModulation(TensorInfo info, TaskModulated.Modulation m) {
        shared.write(info.name(), TensorBridge.fromF32Transient(m.shared(), DType.F32));
        for (int t = 0; t < masks.size(); t++) {
            masks.get(t).write(info.name(), BitMasks.pack(m.masks()[t]));
        }
    }

    @Override
    public void commit(MergeMethod method) {
        shared.commit();
        for (ShardedWriter w : masks) {
            w.commit();
        }
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("method", method.name());
        manifest.put("description", method.describe());
        manifest.put("base", basePath.toString());
        ArrayNode tasksNode = manifest.putArray("tasks");
        ArrayNode scales = manifest.putArray("scales");
        double[] s = ((TaskModulated) method).taskScales();
        for (int i = 0; i < tasks.size(); i++) {
            tasksNode.add(tasks.get(i));
            scales.add(s[i]);
        }
        try {
            Files.write(temp.resolve(MANIFEST), CheckpointSink.prettyJson(manifest));
            for (Map.Entry<String, ShardedWriter.Content> e : sideFiles.entrySet()) {
                Path f = temp.resolve(e.getKey()).normalize();
                if (!f.startsWith(temp)) {
                    throw new IllegalArgumentException("side file outside the output: " + e.getKey());
                }
                Files.createDirectories(f.getParent());
                try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
                    e.getValue().writeTo(out);
                }
            }
            TempDirs.publish(temp, () -> Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE));
            committed = true;
        } catch (IOException e) {
            throw new AmalgamException(out + ": cannot finish output: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
        masks.forEach(ShardedWriter::close);
        if (temp != null && !committed) {
            TempDirs.discard(temp);
        }
    }
}
