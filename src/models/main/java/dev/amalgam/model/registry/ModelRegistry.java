package dev.amalgam.model.registry;

import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.OpenClipKeyMapping;
import dev.amalgam.model.gpt2.Gpt2Model;
import dev.amalgam.model.llama.LlamaModel;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import dev.amalgam.model.TensorSourceWeights;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.ModelWeights;
import dev.amalgam.model.MapWeights;

/** Picks the architecture for a Hugging Face model directory by config.json {@code model_type}. */
public final class ModelRegistry {

    /** Builds a model from its config and weights; the model owns a sub-manager of {@code parent}. */
    @FunctionalInterface
    public interface Factory {
        HfModelBlock load(HfConfig config, ModelWeights weights, NDManager parent);
    }

    private static final Map<String, Factory> FACTORIES = new ConcurrentHashMap<>();

    static {
        register("bert", BertEncoder::load);
        register("clip", (c, w, m) -> ClipModel.load(c,
                OpenClipKeyMapping.looksLikeOpenClip(w.names()) ? new OpenClipKeyMapping(w) : w, m));
        register("gpt2", Gpt2Model::load);
        register("llama", LlamaModel::load);
        register("mistral", LlamaModel::load);
        register("qwen2", LlamaModel::load);
    }

    private ModelRegistry() {
    }

    /** Adds (or replaces) the factory for a {@code model_type}, e.g. "bert". */
    public static void register(String modelType, Factory factory) {
        FACTORIES.put(modelType, factory);
    }

    public static java.util.Set<String> modelTypes() {
        return new TreeMap<>(FACTORIES).keySet();
    }

    /** The factory for a config's {@code model_type}; an AmalgamException naming the config if unknown. */
    public static Factory factoryFor(HfConfig config) {
        String type = config.text("model_type", null);
        if (type == null) {
            throw new AmalgamException(config.where() + ": no 'model_type'");
        }
        Factory f = FACTORIES.get(type);
        if (f == null) {
            throw new AmalgamException(config.where() + ": model_type '" + type + "' is not supported (supported: "
                    + String.join(", ", modelTypes()) + ")");
        }
        return f;
    }

    public static HfModelBlock load(HfConfig config, ModelWeights weights, NDManager parent) {
        return factoryFor(config).load(config, weights, parent);
    }

    /** Convenience: a parsed config.json and in-memory tensors by HF name (arrays are copied). */
    public static HfModelBlock load(com.fasterxml.jackson.databind.JsonNode config,
                                    Map<String, ai.djl.ndarray.NDArray> weights, NDManager parent) {
        return load(new HfConfig(config, "config.json"), new MapWeights(weights, "in-memory weights"), parent);
    }

    /**
     * Loads a Hugging Face model directory (config.json plus single or sharded safetensors) through
     * {@link Checkpoints}, reading the weights tensor by tensor from the memory-mapped files.
     */
    public static HfModelBlock fromCheckpoint(Path dir, NDManager parent) {
        try (Checkpoint ckpt = Checkpoints.open(dir)) {
            if (ckpt.config() == null) {
                throw new AmalgamException(dir.resolve("config.json") + ": not found (needed to pick the architecture)");
            }
            HfConfig cfg = new HfConfig(ckpt.config(), dir.resolve("config.json").toString());
            return load(cfg, new TensorSourceWeights(ckpt), parent);
        }
    }

    /** Loads a decoder-only language model directory; an AmalgamException if it is another kind. */
    public static CausalLanguageModel loadCausalLm(Path dir, NDManager parent) {
        HfModelBlock block = fromCheckpoint(dir, parent);
        if (block instanceof CausalLanguageModel lm) {
            return lm;
        }
        block.close();
        throw new AmalgamException(dir.resolve("config.json") + ": not a causal language model");
    }
}
