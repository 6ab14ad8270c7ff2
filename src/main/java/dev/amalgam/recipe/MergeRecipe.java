package dev.amalgam.recipe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A merge recipe: MergeKit's YAML keys (merge_method, base_model, models[].model/parameters,
 * parameters, dtype, out_dtype, tokenizer_source) plus Amalgam's (name, scope, seed, lwptv).
 * Paths are resolved against the recipe file's directory.
 *
 * @param method        merge method name (registry key)
 * @param base          pre-trained checkpoint
 * @param models        fine-tuned checkpoints with per-model parameters
 * @param parameters    method hyperparameters (global)
 * @param outDtype      output dtype name, or null for the base model's float dtype
 * @param tokenizerSource "base" (default), or a model path whose tokenizer files are copied
 * @param scope         "global" or "tensor" (selection scope for TIES/TALL-like methods), or null
 * @param seed          seed for random methods (DARE)
 * @param lwptv         LwPTV options, or null when LwPTV is off
 */
public record MergeRecipe(String name, String method, Path base, List<ModelEntry> models,
                          Map<String, Object> parameters, String outDtype, String tokenizerSource,
                          String scope, long seed, Map<String, Object> lwptv) {

    /** One fine-tuned model with its own parameters (e.g. weight, density). */
    public record ModelEntry(Path path, String taskName, Map<String, Object> parameters) {
    }
}
