package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import dev.amalgam.io.SafetensorsHeaderWriter;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.tensor.TensorBridge;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Saves a fine-tuned model as a Hugging Face style directory that the merge tools read like any other
 * task checkpoint:
 * <pre>
 *   model.safetensors (or shards + index)   backbone tensors under their HF names
 *   config.json, tokenizer files            copied from the pretrained model directory
 *   head.safetensors                        head tensors (classifier.weight, ...)
 *   head.json                               label names in class-index order, head tensor names, summary
 * </pre>
 * Output goes through {@link ShardedWriter}: written to a hidden temporary directory and renamed to
 * OUT only when complete; OUT must not exist or be empty.
 */
public final class CheckpointSaver {
    /** Side files copied verbatim from the pretrained model directory when present. */
    public static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json",
            "merges.txt", "added_tokens.json", "spiece.model", "sentencepiece.bpe.model", "preprocessor_config.json");
    public static final String HEAD_FILE = "head.safetensors";
    public static final String HEAD_JSON = "head.json";
    /** Shard size of the backbone, as transformers' default {@code max_shard_size="5GB"}. */
    public static final long MAX_SHARD_BYTES = 5_000_000_000L;

    private CheckpointSaver() {
    }

    /**
     * @param out the directory to create (must not exist, or be empty)
     * @param pretrainedDir where config.json and tokenizer files come from; may be null
     * @param dtype float type of the saved tensors (training runs in F32)
     * @param labels class names, index i = logit i
     * @param summary extra entries for head.json (training settings, best accuracy, ...)
     */
    public static void save(Path out, TrainableModel model, Path pretrainedDir, DType dtype, List<String> labels,
                            Map<String, Object> summary) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("labels", labels);
        head.put("num_labels", labels.size());
        head.putAll(summary);
        save(out, model, pretrainedDir, dtype, head);
    }

    /**
     * As {@link #save(Path, TrainableModel, Path, DType, List, Map)} with head.json's entries given
     * whole (plus {@code tensors}, the head tensor names), e.g. one label list per task of a
     * multi-task model.
     */
    public static void save(Path out, TrainableModel model, Path pretrainedDir, DType dtype,
                            Map<String, Object> headJson) {
        write(out, arrays(model.backboneParameters()), pretrainedDir, dtype, w -> {
            w.writeFile(HEAD_FILE, singleFile(arrays(model.headParameters()), dtype));
            Map<String, Object> head = new LinkedHashMap<>(headJson);
            head.put("tensors", List.copyOf(model.headParameters().keySet()));
            w.writeFile(HEAD_JSON, json(head));
        });
    }

    /**
     * A checkpoint without a separate head: {@code tensors} (HF names) as model.safetensors (or shards),
     * plus config.json and tokenizer / preprocessor files copied from {@code pretrainedDir}, e.g. a
     * CLIP model whose vision tower was fine-tuned against zero-shot heads.
     */
    public static void saveWeights(Path out, Map<String, NDArray> tensors, Path pretrainedDir, DType dtype) {
        write(out, tensors, pretrainedDir, dtype, w -> {
        });
    }

    /** One line, before any training, when {@code out} exists and is not an empty directory. */
    public static void requireNewOutput(Path out) {
        if (Files.exists(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new AmalgamException(out + ": output directory exists and is not empty (refusing to overwrite)");
                }
            } catch (java.io.IOException e) {
                throw new AmalgamException(out + ": output exists and is not a directory");
            }
        }
    }

    private static void write(Path out, Map<String, NDArray> backbone, Path pretrainedDir, DType dtype,
                              Consumer<ShardedWriter> extra) {
        Map<String, String> metadata = new TreeMap<>();
        if (pretrainedDir != null) {
            metadata.put("amalgam_finetuned_from", pretrainedDir.toString());
        }
        List<Path> inputs = pretrainedDir == null ? List.of() : List.of(pretrainedDir);
        try (ShardedWriter w = new ShardedWriter(out, plan(backbone, dtype), MAX_SHARD_BYTES, metadata, inputs)) {
            for (String name : new TreeMap<>(backbone).keySet()) {
                w.write(name, bytes(backbone.get(name), dtype));
            }
            extra.accept(w);
            if (pretrainedDir != null) {
                for (String name : SIDE_FILES) {
                    Path f = pretrainedDir.resolve(name);
                    if (Files.isRegularFile(f)) {
                        w.copyFile(f);
                    }
                }
            }
            w.commit();
        }
    }

    private static List<TensorInfo> plan(Map<String, NDArray> tensors, DType dtype) {
        List<TensorInfo> plan = new ArrayList<>();
        tensors.forEach((name, a) -> plan.add(new TensorInfo(name, dtype, a.getShape().getShape())));
        return plan;
    }

    private static ByteBuffer bytes(NDArray a, DType dtype) {
        if (a.getDataType() == DataType.FLOAT32) {
            return TensorBridge.fromF32(a, dtype);
        }
        try (NDArray f32 = a.toType(DataType.FLOAT32, true)) {
            return TensorBridge.fromF32(f32, dtype);
        }
    }

    /** A complete single safetensors file in memory (heads are small). */
    private static byte[] singleFile(Map<String, NDArray> tensors, DType dtype) {
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SafetensorsHeaderWriter.encode(plan(sorted, dtype), Map.of()));
        for (NDArray a : sorted.values()) {
            ByteBuffer b = bytes(a, dtype);
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, NDArray> arrays(Map<String, Parameter> params) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.forEach((name, p) -> out.put(name, p.getArray()));
        return out;
    }
}
