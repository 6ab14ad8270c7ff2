package dev.amalgam.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a checkpoint as a Hugging Face directory: optionally casts every float tensor to one
 * dtype, re-shards, copies config.json (with {@code torch_dtype} updated), the side files and the task-head
 * files ({@code head.safetensors}/{@code head.json}, {@code heads/}) unchanged.
 */
public final class CheckpointConverter {
    private CheckpointConverter() {
    }

    /**
     * @param dtype target float dtype, or null to keep each tensor's dtype
     * @param metadata provenance for the output's {@code __metadata__}
     */
    public static void convert(Checkpoint in, Path out, DType dtype, long maxShardSize, Map<String, String> metadata) {
        List<TensorInfo> plan = new ArrayList<>();
        for (String n : in.names()) {
            TensorInfo t = in.info(n);
            plan.add(dtype != null && t.dtype().isFloat() ? t.withDtype(dtype) : t);
        }
        List<Path> inputs = new ArrayList<>(in.weightFiles());
        inputs.add(in.location());
        inputs.addAll(in.auxFiles());
        try (ShardedWriter w = new ShardedWriter(out, plan, maxShardSize, metadata, inputs).background(2)) {
            for (TensorInfo target : plan) {
                TensorInfo src = in.info(target.name());
                ByteBuffer b = in.bytes(target.name());
                w.write(target.name(), DTypeConversion.convert(b, src.dtype(), target.dtype()));
            }
            if (in.config() != null) {
                w.writeFile("config.json", configBytes(in.config(), dtype));
            }
            for (Path aux : in.auxFiles()) {
                w.copyFile(aux);
            }
            in.headFiles().forEach((name, file) -> w.copyFile(file, name)); // a fine-tune's head, as it is
            w.commit();
        }
    }

    private static byte[] configBytes(ObjectNode config, DType dtype) {
        ObjectNode c = config.deepCopy();
        if (dtype != null) {
            c.put("torch_dtype", torchName(dtype));
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String torchName(DType d) {
        return switch (d) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F32 -> "float32";
            case F64 -> "float64";
            default -> d.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Provenance for a converted checkpoint. */
    public static Map<String, String> provenance(Checkpoint in, Provenance.Mode mode) {
        Map<String, String> m = new LinkedHashMap<>(Provenance.metadata(in.weightFiles(), mode));
        m.put("source_format", in.format());
        return m;
    }
}
