package dev.amalgam.cli;

import dev.amalgam.merge.MergeMethods;
import dev.amalgam.merge.mergekit.MergeKitMethod;
import dev.amalgam.merge.mergekit.MergeKitMethods;
import dev.amalgam.merge.mergekit.ParamDef;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The method list of {@code amalgam merge --help} and the parameter tables of docs/mergekit.md, both
 * generated from the methods' parameter declarations ({@link ParamDef}).
 */
public final class MethodHelp {
    private MethodHelp() {
    }

    /** Help footer: MergeKit methods with their parameters, then Amalgam's own engine methods. */
    public static String footer() {
        StringBuilder sb = new StringBuilder("%nMergeKit methods (MergeKit's semantics and defaults; docs/mergekit.md):%n");
        for (MergeKitMethods.Entry e : MergeKitMethods.all().values()) {
            MergeKitMethod m = MergeKitMethods.describe(e.name());
            sb.append(String.format("  %-17s %s%n", e.name(), e.doc()));
            List<String> ps = new ArrayList<>();
            m.globalParams().forEach(d -> ps.add(d.name() + "=" + d.defaultLabel()));
            m.modelParams().forEach(d -> ps.add(d.name() + "=" + d.defaultLabel() + " (per model)"));
            if (!ps.isEmpty()) {
                sb.append(String.format("  %-17s   %s%n", "", String.join(", ", ps)));
            }
        }
        SortedSet<String> engine = new TreeSet<>(MergeMethods.names());
        engine.removeAll(MergeKitMethods.names());
        sb.append("%nAmalgam engine methods (paper semantics; docs/merging.md):%n  ")
                .append(String.join(", ", engine)).append("%n")
                .append("  Paper variants of MergeKit names, chosen by their keys: ties with scope/k/merge, breadcrumbs with%n")
                .append("  variant/alpha/beta, model_stock with average/ignore_keys, task_arithmetic with weights.%n");
        return sb.toString().replace("%n", System.lineSeparator());
    }

    /** docs/mergekit.md's parameter table (Markdown), one row per declared parameter. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| method | parameter | scope | default | meaning |\n|---|---|---|---|---|\n");
        for (MergeKitMethods.Entry e : MergeKitMethods.all().values()) {
            MergeKitMethod m = MergeKitMethods.describe(e.name());
            List<ParamDef> all = new ArrayList<>(m.globalParams());
            all.addAll(m.modelParams());
            if (all.isEmpty()) {
                sb.append("| `").append(e.name()).append("` | — | | | |\n");
            }
            for (ParamDef d : all) {
                sb.append("| `").append(e.name()).append("` | `").append(d.name()).append("` | ")
                        .append(d.perModel() ? "per model" : "global").append(" | ").append(d.defaultLabel())
                        .append(" | ").append(d.doc()).append(" |\n");
            }
        }
        return sb.toString();
    }
}
