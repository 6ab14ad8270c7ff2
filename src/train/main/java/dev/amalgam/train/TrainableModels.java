package dev.amalgam.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@link TrainableModel} (pretrained backbone + freshly initialised head) from a Hugging
 * Face model directory, chosen by {@code model_type} in its config.json.
 */
public final class TrainableModels {

    /** Creates the trainable model of one architecture; its arrays belong to {@code manager}. */
    @FunctionalInterface
    public interface Factory {
        TrainableModel create(Path modelDir, JsonNode config, int numLabels, Map<String, String> options,
                              NDManager manager);
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        register("bert", (dir, config, labels, options, manager) -> BertSequenceClassifier.open(dir, labels,
                BertSequenceClassifier.Pooling.parse(options.getOrDefault("pooling", "auto")), manager));
    }

    private TrainableModels() {
    }

    /** Registers the factory for a {@code model_type} (e.g. "bert"). */
    public static synchronized void register(String modelType, Factory factory) {
        FACTORIES.put(modelType, factory);
    }

    /** The {@code model_type}s that have a factory, in registration order. */
    public static synchronized java.util.List<String> modelTypes() {
        return java.util.List.copyOf(FACTORIES.keySet());
    }

    /**
     * @param options architecture-specific settings, e.g. {@code pooling} = auto | cls | mean for BERT
     */
    public static synchronized TrainableModel open(Path modelDir, int numLabels, Map<String, String> options,
                                                   NDManager manager) {
        Path configFile = modelDir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new AmalgamException(configFile + ": not found (--model must be a Hugging Face model directory)");
        }
        JsonNode config = Json.readFile(configFile);
        String type = config.path("model_type").asText("");
        Factory f = FACTORIES.get(type);
        if (f == null) {
            throw new AmalgamException(configFile + ": model_type '" + type + "' cannot be fine-tuned"
                    + (FACTORIES.isEmpty() ? " (no architecture is wired for fine-tuning in this build)"
                    : " (supported: " + String.join(", ", FACTORIES.keySet()) + ")"));
        }
        return f.create(modelDir, config, numLabels, options, manager);
    }
}
