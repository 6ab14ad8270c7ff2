package dev.amalgam.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.RenamedSource;
import dev.amalgam.io.RenamedSource.Origin;
import dev.amalgam.io.TensorSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lines up real Hugging Face fine-tunes with their base when the two were saved from different model
 * classes (docs/merging.md, "Fine-tunes saved from another model class"): a
 * {@code BertForSequenceClassification} fine-tune ({@code bert.*} + {@code classifier.*}) of a
 * {@code BertModel} base, a {@code LlamaForCausalLM} ({@code model.*} + {@code lm_head.weight}) of a
 * {@code LlamaModel}, a {@code CLIPVisionModelWithProjection} of a {@code CLIPModel}.
 * <p>
 * Each fine-tune is seen through a {@link RenamedSource} under the base's names. Its tensors fall in
 * two kinds: <b>shared</b> (the backbone: its name minus the fine-tune's prefix, plus the base's
 * prefix, is a base tensor) — merged; <b>head</b> (every other float tensor: outside the fine-tune's
 * backbone prefix, a module the base's class does not hold, a module the task added) — kept aside per
 * task, never merged. A base tensor the fine-tune lacks is an error, except the base's own head (outside its
 * prefix) and modules the fine-tune's class does not hold (CLIP's text tower under a vision fine-tune):
 * those are the fine-tune's unchanged base values (task vector 0), so the output keeps them. Integer
 * buffers ({@code position_ids}) present on one side only are taken from the base.
 * <p>
 * Where the prefixes come from: config.json {@code architectures} of both when {@link HfArchitectures}
 * knows the classes (and they are one family), else the prefix pair under which the most names
 * coincide. Checkpoints with the same names (or the same class) are left as they are.
 */
public final class LayoutAlignment {

    /** Which naming and config the output takes. */
    public enum Layout {
        /** The base's names and config.json (default). */
        BASE,
        /** The first mapped fine-tune's names and config.json; base modules that fine-tune lacks are left out. */
        FINETUNE;

        public static Layout parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT).replace("-", ""));
            } catch (IllegalArgumentException e) {
                throw new AmalgamException("--layout must be base or finetune, not '" + s + "'");
            }
        }
    }

    /**
     * How a fine-tune's names become the base's: strip {@code ftPrefix}, add {@code basePrefix}.
     *
     * @param ftArch   the fine-tune's class, or null when detected from the names
     * @param baseArch the base's class, or null when detected from the names
     */
    public record Mapping(String ftPrefix, String basePrefix, HfArchitectures.Arch ftArch,
                          HfArchitectures.Arch baseArch) {
        public String describe() {
            String rule = "'" + ftPrefix + "*' → '" + basePrefix + "*'";
            return ftArch != null
                    ? ftArch.name() + " → " + baseArch.name() + " (config.json architectures: " + rule + ")"
                    : "names " + rule + " (detected from the tensor names)";
        }
    }

    /**
     * One fine-tune, aligned.
     *
     * @param mapping  null when its names are the base's (nothing renamed)
     * @param origins  base name → where the fine-tune's value comes from (its own tensor, or the base's)
     * @param heads    the fine-tune's own tensors that are not merged (its task head), sorted
     * @param fromBase base tensors the fine-tune does not hold, taken from the base
     */
    public record Task(String task, Checkpoint source, Mapping mapping, Map<String, Origin> origins,
                       List<String> heads, List<String> fromBase) {
        public int shared() {
            return (int) origins.values().stream().filter(o -> o.source() == source).count();
        }

        /** One line for the console. */
        public String note() {
            StringBuilder s = new StringBuilder(source.describe() + ": " + mapping.describe() + "; " + shared()
                    + " tensors merged");
            if (!heads.isEmpty()) {
                s.append(", head ").append(abbreviate(heads)).append(" kept in heads/").append(task).append('/');
            }
            if (!fromBase.isEmpty()) {
                s.append(", ").append(fromBase.size()).append(" base tensors it does not hold taken from the base");
            }
            return s.toString();
        }
    }

    /**
     * The executor's inputs after alignment.
     *
     * @param base   θ_0 under the output's names
     * @param models the fine-tunes under the output's names
     * @param config the output's config.json (may be null)
     */
    public record Result(TensorSource base, List<TensorSource> models, ObjectNode config, List<Task> tasks) {
        /** Whether {@code c} was renamed onto the base (its class may differ from the base's). */
        public boolean mapped(Checkpoint c) {
            return tasks.stream().anyMatch(t -> t.source() == c && t.mapping() != null);
        }

        public List<Task> mappedTasks() {
            return tasks.stream().filter(t -> t.mapping() != null).toList();
        }

        public List<String> notes() {
            return mappedTasks().stream().map(Task::note).toList();
        }
    }

    private LayoutAlignment() {
    }

    /** Aligns every fine-tune with {@code base}; with nothing to rename the inputs come back as they are. */
    public static Result align(Checkpoint base, List<Checkpoint> models, List<String> tasks, Layout layout) {
        List<Task> aligned = new ArrayList<>();
        Task first = null;
        for (int i = 0; i < models.size(); i++) {
            Task t = alignOne(base, models.get(i), tasks.get(i));
            aligned.add(t);
            if (first == null && t.mapping() != null) {
                first = t;
            }
        }
        if (first == null) {
            return new Result(base, List.copyOf(models), base.config(), aligned);
        }
        if (layout == Layout.BASE) {
            List<TensorSource> views = new ArrayList<>();
            for (Task t : aligned) {
                views.add(t.mapping() == null ? t.source() : new RenamedSource(t.source().describe(), t.origins()));
            }
            return new Result(base, views, base.config(), aligned);
        }
        // The fine-tune's layout: the first mapped fine-tune's names for what it holds.
        Map<String, String> outName = new TreeMap<>();
        for (String b : base.names()) {
            Origin o = first.origins().get(b);
            if (o != null && o.source() == first.source()) {
                outName.put(b, o.name());
            }
        }
        Map<String, Origin> baseOrigins = new LinkedHashMap<>();
        outName.forEach((b, n) -> baseOrigins.put(n, new Origin(base, b)));
        List<TensorSource> views = new ArrayList<>();
        for (Task t : aligned) {
            Map<String, Origin> o = new LinkedHashMap<>();
            outName.forEach((b, n) -> {
                Origin x = t.mapping() == null ? (t.source().contains(b) ? new Origin(t.source(), b) : null)
                        : t.origins().get(b);
                if (x != null) {
                    o.put(n, x);
                }
            });
            views.add(new RenamedSource(t.source().describe(), o));
        }
        return new Result(new RenamedSource(base.describe(), baseOrigins), views, first.source().config(), aligned);
    }

    static Task alignOne(Checkpoint base, Checkpoint ft, String task) {
        Mapping m = mapping(base, ft);
        if (m == null) {
            return new Task(task, ft, null, Map.of(), List.of(), List.of());
        }
        Set<String> baseNames = new HashSet<>(base.names());
        String pf = m.ftPrefix();
        String pb = m.basePrefix();
        Map<String, Origin> origins = new TreeMap<>();
        List<String> heads = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String n : ft.names()) {
            if (!n.startsWith(pf)) {
                heads.add(n);
                continue;
            }
            String rel = n.substring(pf.length());
            String b = pb + rel;
            if (baseNames.contains(b)) {
                origins.put(b, new Origin(ft, n));
            } else if (ft.info(n).dtype().isFloat()) {
                // only in the fine-tune: a module the base's class does not hold (a CLIPModel fine-tune's
                // text tower) or one the task added (a pooler the base was saved without): task-specific
                heads.add(n);
            } // else a buffer the base was saved without (position_ids): not needed
        }
        if (origins.isEmpty()) {
            throw new AmalgamException(ft.describe() + ": no tensor lines up with base " + base.describe() + " under "
                    + m.describe() + " (different architecture?)");
        }
        List<String> fromBase = new ArrayList<>();
        for (String b : base.names()) {
            if (origins.containsKey(b)) {
                continue;
            }
            String rel = b.startsWith(pb) ? b.substring(pb.length()) : null;
            if (rel == null || !base.info(b).dtype().isFloat()
                    || m.ftArch() != null && !m.ftArch().holds(top(rel))) {
                origins.put(b, new Origin(base, b));
                fromBase.add(b);
            } else {
                problems.add("missing '" + pf + rel + "' (base '" + b + "')");
            }
        }
        if (!problems.isEmpty()) {
            throw new AmalgamException(ft.describe() + ": tensor names differ from base " + base.describe() + " under "
                    + m.describe() + ": " + InputCheck.first(problems));
        }
        return new Task(task, ft, m, origins, List.copyOf(new TreeSet<>(heads)), List.copyOf(fromBase));
    }

    /** How {@code ft}'s names map onto {@code base}'s, or null when they need no renaming (or cannot be renamed). */
    static Mapping mapping(Checkpoint base, Checkpoint ft) {
        Set<String> bn = new HashSet<>(base.names());
        Set<String> fn = new HashSet<>(ft.names());
        if (bn.equals(fn)) {
            return null;
        }
        HfArchitectures.Arch ab = HfArchitectures.of(base.config());
        HfArchitectures.Arch af = HfArchitectures.of(ft.config());
        if (ab != null && af != null) {
            if (!ab.family().equals(af.family()) || ab.name().equals(af.name())) {
                return null;
            }
            return new Mapping(af.prefix(), ab.prefix(), af, ab);
        }
        String[] best = null;
        int bestCount = count(fn, bn, "", "");
        for (String pf : prefixes(fn)) {
            for (String pb : prefixes(bn)) {
                if (!pf.isEmpty() && !pb.isEmpty() || pf.equals(pb)) {
                    continue;
                }
                int c = count(fn, bn, pf, pb);
                if (c > bestCount) {
                    bestCount = c;
                    best = new String[] {pf, pb};
                }
            }
        }
        return best == null ? null : new Mapping(best[0], best[1], null, null);
    }

    private static int count(Set<String> fn, Set<String> bn, String pf, String pb) {
        int c = 0;
        for (String n : fn) {
            if (n.startsWith(pf) && bn.contains(pb + n.substring(pf.length()))) {
                c++;
            }
        }
        return c;
    }

    /** "" and every first name component with its dot ("bert.", "model.", "classifier."). */
    private static Set<String> prefixes(Set<String> names) {
        Set<String> p = new TreeSet<>();
        p.add("");
        for (String n : names) {
            int i = n.indexOf('.');
            if (i > 0) {
                p.add(n.substring(0, i + 1));
            }
        }
        return p;
    }

    private static String top(String rel) {
        int i = rel.indexOf('.');
        return i < 0 ? rel : rel.substring(0, i);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 3 ? String.join(", ", names) : names.get(0) + ", … (" + names.size() + " tensors)";
    }
}
