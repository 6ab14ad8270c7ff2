package dev.amalgam.merge.mergekit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.RenamedSource;
import dev.amalgam.io.TensorSource;
import dev.amalgam.merge.LayoutAlignment;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.recipe.MergeRecipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lays a MergeKit recipe onto Amalgam's streaming executor (docs/mergekit.md, "How a recipe runs"):
 * which checkpoint is the step's θ_0 and which are the task inputs, in what order, under which names
 * (slices renumber layers), and each output tensor's {@link TensorContext} (gradient position, slice
 * and per-input parameters). The base model listed under {@code models:} is the base, not a task.
 *
 * @param inputs   the executor's inputs
 * @param hasBase  whether θ_0 is the recipe's base_model (else the first model)
 * @param contexts per output tensor name
 * @param config   the output config.json (layer count updated for slices), or null
 * @param perModel every per-model parameter map of the recipe (for validation)
 * @param alignment fine-tunes saved from another model class than the base, renamed onto it
 *                  ({@link LayoutAlignment}); null for {@code slices:}
 */
public record MergeKitPlan(MergeInputs inputs, boolean hasBase, Function<String, TensorContext> contexts,
                           ObjectNode config, List<Map<String, Object>> perModel, LayoutAlignment.Result alignment) {

    /** Plans {@code r} in the base's layout; {@code open} opens (and tracks for closing) a checkpoint. */
    public static MergeKitPlan of(MergeRecipe r, Function<Path, Checkpoint> open) {
        return of(r, open, LayoutAlignment.Layout.BASE);
    }

    /** Plans {@code r}; fine-tunes of another model class than the base are renamed into {@code layout}. */
    public static MergeKitPlan of(MergeRecipe r, Function<Path, Checkpoint> open, LayoutAlignment.Layout layout) {
        return r.usesSlices() ? slices(r, open) : models(r, open, layout);
    }

    private static MergeKitPlan models(MergeRecipe r, Function<Path, Checkpoint> open, LayoutAlignment.Layout layout) {
        boolean hasBase = r.base() != null;
        List<MergeRecipe.ModelEntry> entries = r.models();
        if (!hasBase && entries.isEmpty()) {
            throw new AmalgamException("recipe has no models");
        }
        Checkpoint base = open.apply(hasBase ? r.base() : entries.get(0).path());
        List<MergeRecipe.ModelEntry> tasks = hasBase ? entries : entries.subList(1, entries.size());
        List<Checkpoint> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Map<String, Object>> inputParams = new ArrayList<>();
        for (MergeRecipe.ModelEntry e : tasks) {
            models.add(open.apply(e.path()));
            names.add(e.taskName());
            inputParams.add(e.parameters());
        }
        inputParams.add(hasBase ? r.baseParameters() : entries.get(0).parameters());
        names = unique(names);
        List<Map<String, Object>> fixed = Collections.unmodifiableList(inputParams);
        LayoutAlignment.Result aligned = LayoutAlignment.align(base, models, names, layout);
        List<TensorSource> sources = new ArrayList<>(aligned.models());
        sources.add(aligned.base());
        Map<String, Integer> stacks = LayerNames.stacks(aligned.base().names());
        Function<String, TensorContext> ctx = name -> {
            LayerNames.Split s = LayerNames.split(name);
            double t = s == null ? 0 : LayerNames.t(s.index(), stacks.get(s.prefix()));
            // per-model filters see each input's own name (a renamed fine-tune's, e.g. "bert.encoder…")
            List<String> own = new ArrayList<>(sources.size());
            for (TensorSource src : sources) {
                own.add(src instanceof RenamedSource rs ? rs.originName(name) : name);
            }
            return new TensorContext(t, Map.of(), own, fixed);
        };
        List<Map<String, Object>> perModel = new ArrayList<>();
        entries.forEach(e -> perModel.add(e.parameters()));
        perModel.add(r.baseParameters());
        return new MergeKitPlan(new MergeInputs(aligned.base(), aligned.models(), names), hasBase, ctx,
                aligned.config() == null ? null : aligned.config().deepCopy(), perModel, aligned);
    }

    private static MergeKitPlan slices(MergeRecipe r, Function<Path, Checkpoint> open) {
        List<MergeRecipe.Slice> slices = r.slices();
        int tasks = -1;
        Boolean hasBase = null;
        String prefix = null;
        List<int[]> roles = new ArrayList<>(); // per slice: engine position of each source (-1 = base)
        // These read no base tensor, so MergeKit runs them when the base is not among a slice's sources.
        boolean baseOptional = Set.of("linear", "passthrough", "karcher").contains(r.method());
        for (int i = 0; i < slices.size(); i++) {
            MergeRecipe.Slice s = slices.get(i);
            Set<Path> distinct = new java.util.HashSet<>();
            for (MergeRecipe.SliceSource src : s.sources()) {
                if (!distinct.add(src.model())) {
                    throw new AmalgamException("slices[" + i + "]: model " + src.model() + " is listed twice; MergeKit keeps only "
                            + "one of its layer ranges there (a dict by model), so list it once");
                }
            }
            Path named = s.base() != null ? s.base() : r.base();
            Path base = named != null && baseOptional && s.sources().stream().noneMatch(x -> x.model().equals(named)) ? null : named;
            int baseAt = -1;
            if (base != null) {
                for (int j = 0; j < s.sources().size(); j++) {
                    if (s.sources().get(j).model().equals(base)) {
                        baseAt = j;
                        break;
                    }
                }
                if (baseAt < 0) {
                    throw new AmalgamException("slices[" + i + "]: base_model " + base + " is not one of the slice's sources "
                            + "(MergeKit reads the base's tensors from the slice; add it with the same layer_range)");
                }
            }
            boolean sliceHasBase = base != null;
            if (hasBase != null && hasBase != sliceHasBase && !baseOptional) {
                throw new AmalgamException("slices[" + i + "]: some slices have a base_model and some do not");
            }
            hasBase = sliceHasBase;
            int[] role = new int[s.sources().size()];
            int pos = 0;
            int engineBase = sliceHasBase ? baseAt : 0;
            for (int j = 0; j < role.length; j++) {
                role[j] = j == engineBase ? -1 : pos++;
            }
            if (tasks >= 0 && pos != tasks) {
                throw new AmalgamException("slices[" + i + "]: " + pos + " non-base sources, slices[0] has " + tasks
                        + "; Amalgam's streaming engine needs the same count in every slice");
            }
            tasks = pos;
            roles.add(role);
            for (MergeRecipe.SliceSource src : s.sources()) {
                Checkpoint c = open.apply(src.model());
                Map<String, Integer> stacks = LayerNames.stacks(c.names());
                if (stacks.size() != 1) {
                    throw new AmalgamException(c.describe() + ": slices need one layer stack, found " + stacks.keySet()
                            + " (MergeKit needs 'modules:' here, which Amalgam does not implement)");
                }
                String p = stacks.keySet().iterator().next();
                if (prefix != null && !prefix.equals(p)) {
                    throw new AmalgamException(c.describe() + ": layer names " + p + "N differ from " + prefix + "N");
                }
                prefix = p;
                if (src.to() > stacks.get(p)) {
                    throw new AmalgamException("slices[" + i + "]: layer_range [" + src.from() + ", " + src.to() + "] of "
                            + src.model() + " exceeds its " + stacks.get(p) + " layers");
                }
            }
        }
        int engine = tasks + 1;
        List<Map<String, RenamedSource.Origin>> origins = new ArrayList<>();
        for (int k = 0; k < engine; k++) {
            origins.add(new LinkedHashMap<>());
        }
        Map<String, TensorContext> contexts = new HashMap<>();
        // Tensors outside the layers: embeddings from the first slice, the rest (norm, head) from the last, at t = 0.
        Checkpoint first = open.apply(slices.get(0).sources().get(0).model());
        Checkpoint last = open.apply(slices.get(slices.size() - 1).sources().get(0).model());
        for (String name : first.names()) {
            if (LayerNames.split(name) == null && LayerNames.isPreLayer(name)) {
                place(slices.get(0), roles.get(0), name, k -> name, 0.0, open, origins, contexts, tasks);
            }
        }
        int lastSlice = slices.size() - 1;
        for (String name : last.names()) {
            if (LayerNames.split(name) == null && !LayerNames.isPreLayer(name)) {
                place(slices.get(lastSlice), roles.get(lastSlice), name, k -> name, 0.0, open, origins, contexts, tasks);
            }
        }
        int out = 0;
        for (int si = 0; si < slices.size(); si++) {
            MergeRecipe.Slice s = slices.get(si);
            int layers = s.sources().get(0).layers();
            Checkpoint c0 = open.apply(s.sources().get(0).model());
            for (int o = 0; o < layers; o++) {
                int srcLayer0 = s.sources().get(0).from() + o;
                for (String name : c0.names()) {
                    LayerNames.Split sp = LayerNames.split(name);
                    if (sp == null || sp.index() != srcLayer0) {
                        continue;
                    }
                    int offset = o;
                    String outName = sp.name(out);
                    place(s, roles.get(si), outName, j -> sp.name(s.sources().get(j).from() + offset),
                            LayerNames.t(o, layers), open, origins, contexts, tasks);
                }
                out++;
            }
        }
        List<TensorSource> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < tasks; k++) {
            models.add(new RenamedSource("slice input " + (k + 1), origins.get(k)));
            names.add("input" + (k + 1));
        }
        TensorSource base = new RenamedSource("slices base", origins.get(tasks));
        Checkpoint donor = r.base() != null ? open.apply(r.base()) : first; // MergeKit's config donor
        ObjectNode config = donor.config() == null ? null : donor.config().deepCopy();
        if (config != null) {
            setLayers(config, out, slices, open);
        }
        List<Map<String, Object>> perModel = new ArrayList<>();
        slices.forEach(s -> s.sources().forEach(x -> perModel.add(x.parameters())));
        return new MergeKitPlan(new MergeInputs(base, models, names), hasBase, contexts::get, config, perModel, null);
    }

    /**
     * Task names for reports, made unique: MergeKit has no such names, so two models whose directories
     * share a basename (runs/math/final, runs/code/final) must not be refused for it.
     */
    static List<String> unique(List<String> names) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            String u = n;
            for (int k = 2; !seen.add(u); k++) {
                u = n + "-" + k;
            }
            out.add(u);
        }
        return out;
    }

    /** Adds one output tensor: its origin in every engine position, and its context. */
    private static void place(MergeRecipe.Slice s, int[] role, String outName, Function<Integer, String> inName, double t,
                              Function<Path, Checkpoint> open, List<Map<String, RenamedSource.Origin>> origins,
                              Map<String, TensorContext> contexts, int tasks) {
        List<String> inputNames = new ArrayList<>(Collections.nCopies(tasks + 1, outName));
        List<Map<String, Object>> params = new ArrayList<>(Collections.nCopies(tasks + 1, Map.<String, Object>of()));
        for (int j = 0; j < role.length; j++) {
            MergeRecipe.SliceSource src = s.sources().get(j);
            int k = role[j] < 0 ? tasks : role[j];
            Checkpoint c = open.apply(src.model());
            String in = inName.apply(j);
            if (!c.contains(in)) {
                throw new AmalgamException(c.describe() + ": has no tensor '" + in + "' (needed for output " + outName + ")");
            }
            origins.get(k).put(outName, new RenamedSource.Origin(c, in));
            inputNames.set(k, in);
            params.set(k, src.parameters());
        }
        contexts.put(outName, new TensorContext(t, s.parameters(), inputNames, params));
    }

    private static void setLayers(ObjectNode config, int layers, List<MergeRecipe.Slice> slices,
                                  Function<Path, Checkpoint> open) {
        for (String key : List.of("num_hidden_layers", "n_layer", "num_layers")) {
            if (config.has(key)) {
                config.put(key, layers);
            }
        }
        if (config.has("layer_types") && config.get("layer_types").isArray()) {
            ArrayNode types = config.putArray("layer_types");
            for (MergeRecipe.Slice s : slices) {
                MergeRecipe.SliceSource src = s.sources().get(0);
                ObjectNode c = open.apply(src.model()).config();
                for (int i = src.from(); i < src.to(); i++) {
                    types.add(c.get("layer_types").get(i));
                }
            }
        }
    }
}
