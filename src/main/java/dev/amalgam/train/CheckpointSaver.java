package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Saves a fine-tuned model as a Hugging Face style directory that the merge tools read like any other
 * task checkpoint:
 * <pre>
 *   model.safetensors   backbone tensors under their HF names
 *   config.json, tokenizer files   copied from the pretrained model directory
 *   head.safetensors    head tensors (classifier.weight, ...)
 *   head.json           label names in class-index order, head tensor names, training summary
 * </pre>
 * Everything is written into a hidden sibling directory first and renamed to OUT at the end, so a
 * failed save leaves no half-written checkpoint.
 */
public final class CheckpointSaver {
    /** Side files copied verbatim from the pretrained model directory when present. */
    public static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json",
            "merges.txt", "added_tokens.json", "spiece.model", "sentencepiece.bpe.model", "preprocessor_config.json");
    public static final String BACKBONE_FILE = "model.safetensors";
    public static final String HEAD_FILE = "head.safetensors";
    public static final String HEAD_JSON = "head.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointSaver() {
    }

    /**
     * @param out the directory to create (must not exist, or be empty)
     * @param pretrainedDir where config.json and tokenizer files come from; may be null
     * @param labels class names, index i = logit i
     * @param summary extra entries for head.json (training settings, best accuracy, ...)
     */
    public static void save(Path out, TrainableModel model, Path pretrainedDir, List<String> labels,
                            Map<String, Object> summary) {
        Path target = out.toAbsolutePath().normalize();
        checkTarget(target);
        Path temp = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            deleteTree(temp);
            Files.createDirectories(temp);
            String source = pretrainedDir == null ? "" : pretrainedDir.toString();
            SafetensorsOut.write(temp.resolve(BACKBONE_FILE), arrays(model.backboneParameters()),
                    Map.of("amalgam_finetuned_from", source));
            SafetensorsOut.write(temp.resolve(HEAD_FILE), arrays(model.headParameters()), Map.of());
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("labels", labels);
            head.put("num_labels", labels.size());
            head.put("tensors", List.copyOf(model.headParameters().keySet()));
            head.putAll(summary);
            JSON.writeValue(temp.resolve(HEAD_JSON).toFile(), head);
            if (pretrainedDir != null) {
                for (String name : SIDE_FILES) {
                    Path f = pretrainedDir.resolve(name);
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, temp.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty, checked above
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AmalgamException(target + ": cannot write checkpoint: " + e.getMessage(), e);
        } finally {
            try {
                deleteTree(temp);
            } catch (IOException ignored) {
                // best effort: only left behind after another failure
            }
        }
    }

    private static void checkTarget(Path target) {
        if (Files.exists(target)) {
            boolean empty;
            try (Stream<Path> s = Files.list(target)) {
                empty = s.findAny().isEmpty();
            } catch (IOException e) {
                throw new AmalgamException(target + ": output exists and is not an empty directory");
            }
            if (!empty) {
                throw new AmalgamException(target + ": output directory exists and is not empty");
            }
        }
    }

    private static Map<String, NDArray> arrays(Map<String, Parameter> params) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.forEach((name, p) -> out.put(name, p.getArray()));
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
