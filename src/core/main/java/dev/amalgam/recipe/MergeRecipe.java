package dev.amalgam.recipe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A merge recipe in MergeKit's grammar (docs/mergekit.md) plus Amalgam's keys (name, scope, seed,
 * lwptv). Parameter values are kept raw (Number, Boolean, String, List, Map) and evaluated per tensor
 * by {@link ParameterSetting}. Paths are resolved against the recipe file's directory.
 *
 * @param method          merge method name (registry key)
 * @param base            {@code base_model}, or null when the recipe has none (linear, karcher, passthrough …)
 * @param models          {@code models:} entries (empty when the recipe uses {@code slices:}); never the base
 * @param slices          {@code slices:} entries, or an empty list
 * @param parameters      global parameters
 * @param dtype           MergeKit {@code dtype} (inputs are rounded to it; also the output dtype unless
 *                        {@code out_dtype} is given), or null
 * @param outDtype        output dtype name, or null
 * @param tokenizerSource null (copy the base's tokenizer files), "base", or a model path
 * @param chatTemplate    MergeKit {@code chat_template} ("auto" or a Jinja string), or null
 * @param tokenizer       MergeKit's {@code tokenizer:} block (source, tokens, pad_to_multiple_of), or null
 * @param baseListed      whether {@code base_model} also appeared under {@code models:} (with its parameters)
 * @param baseParameters  the parameters given to the base's own {@code models:} entry
 * @param scope           Amalgam: "global" or "tensor" for the engine's paper TIES, or null
 * @param seed            seed for random methods (DARE, DELLA)
 * @param lwptv           LwPTV options, or null when LwPTV is off
 */
public record MergeRecipe(String name, String method, Path base, List<ModelEntry> models, List<Slice> slices,
                          Map<String, Object> parameters, String dtype, String outDtype, String tokenizerSource,
                          String chatTemplate, Map<String, Object> tokenizer, boolean baseListed, Map<String, Object> baseParameters,
                          String scope, long seed, Map<String, Object> lwptv) {

    /** The flag form and library callers: models only, no MergeKit extras. */
    public MergeRecipe(String name, String method, Path base, List<ModelEntry> models, Map<String, Object> parameters,
                       String outDtype, String tokenizerSource, String scope, long seed, Map<String, Object> lwptv) {
        this(name, method, base, models, List.of(), parameters, null, outDtype,
                "base".equals(tokenizerSource) ? null : tokenizerSource, null, null, false, Map.of(), scope, seed, lwptv);
    }

    /** One fine-tuned model with its own parameters (e.g. weight, density). */
    public record ModelEntry(Path path, String taskName, Map<String, Object> parameters) {
    }

    /** One output slice: {@code sources} of equal layer counts, an optional slice base, slice parameters. */
    public record Slice(List<SliceSource> sources, Path base, Map<String, Object> parameters) {
    }

    /** {@code layer_range: [from, to)} of one model, with its parameters. */
    public record SliceSource(Path model, int from, int to, Map<String, Object> parameters) {
        public int layers() {
            return to - from;
        }
    }

    public boolean usesSlices() {
        return !slices.isEmpty();
    }

    /** The same recipe with MergeKit's {@code dtype} set (the CLI's --dtype). */
    public MergeRecipe withDtype(String newDtype) {
        return new MergeRecipe(name, method, base, models, slices, parameters, newDtype, outDtype, tokenizerSource,
                chatTemplate, tokenizer, baseListed, baseParameters, scope, seed, lwptv);
    }

    /** The same recipe with other global parameters (CLI --param overrides). */
    public MergeRecipe withParameters(Map<String, Object> p, String newScope, long newSeed, Map<String, Object> newLwptv) {
        return new MergeRecipe(name, method, base, models, slices, p, dtype, outDtype, tokenizerSource, chatTemplate,
                tokenizer, baseListed, baseParameters, newScope, newSeed, newLwptv);
    }
}
