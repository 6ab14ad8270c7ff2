package dev.amalgam.cli;

import dev.amalgam.merge.job.MergeMethods;
import dev.amalgam.merge.mergekit.MergeKitMethod;
import dev.amalgam.merge.mergekit.MergeKitMethods;
import dev.amalgam.merge.ParamDef;

import java.util.ArrayList;
import java.util.List;

/**
 * The method list of {@code amalgam merge --help} and the parameter tables of docs/mergekit.md, both
 * generated from the methods' parameter declarations ({@link ParamDef}).
 */
public final class MethodHelp {
    private MethodHelp() {
    }

    private static final int WIDTH = 78;

    /** Help footer: MergeKit methods with their parameters, then Amalgam's own engine methods. */
    public static String footer() {
        StringBuilder sb = new StringBuilder("\nMergeKit methods, MergeKit's semantics and defaults (docs/mergekit.md);\n"
                + "parameters as name=default, * = per model:\n");
        for (MergeKitMethods.Entry e : MergeKitMethods.all().values()) {
            MergeKitMethod m = MergeKitMethods.describe(e.name());
            wrap(sb, String.format("  %-17s", e.name()), e.doc());
            List<String> ps = new ArrayList<>();
            m.globalParams().forEach(d -> ps.add(d.name() + "=" + d.defaultLabel()));
            m.modelParams().forEach(d -> ps.add(d.name() + "*=" + d.defaultLabel()));
            if (!ps.isEmpty()) {
                wrap(sb, " ".repeat(21), String.join(", ", ps));
            }
        }
        sb.append("\nAmalgam engine methods, paper semantics (docs/merging.md);\nparameters as name=default:\n");
        for (MergeMethods.Entry e : MergeMethods.entries()) {
            String names = e.name() + (e.aliases().isEmpty() ? "" : " (also " + String.join(", ", e.aliases()) + ")");
            if (names.length() > 17) {
                sb.append("  ").append(names).append("\n");
                wrap(sb, " ".repeat(19), e.doc());
            } else {
                wrap(sb, String.format("  %-17s", names), e.doc());
            }
            List<String> ps = new ArrayList<>();
            e.params().forEach(d -> ps.add(d.name() + "=" + d.defaultLabel()));
            wrap(sb, " ".repeat(21), ps.isEmpty() ? "no parameters" : String.join(", ", ps));
        }
        wrap(sb, "  ", "Paper variants of MergeKit names are chosen by their keys: ties with scope, k or merge; "
                + "breadcrumbs with variant, alpha or beta; dare_* with p, combine or weights; model_stock with "
                + "average or ignore_keys; task_arithmetic with weights.");
        wrap(sb, "  ", "Data-aware (regmean, regmean_plusplus, fisher_merging, adamerging) run the model on each "
                + "task's examples first: a recipe names them with its data: key (docs/merging.md#data-aware-methods).");
        return sb.toString().replace("%", "%%").replace("\n", "%n");
    }

    /** Appends text after a prefix, wrapped at word boundaries to {@link #WIDTH} with the prefix's indent. */
    private static void wrap(StringBuilder sb, String prefix, String text) {
        String indent = " ".repeat(prefix.length() + 1);
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() + 1 + word.length() > WIDTH && line.length() > indent.length()) {
                sb.append(line).append("\n");
                line = new StringBuilder(indent.substring(1));
            }
            line.append(' ').append(word);
        }
        sb.append(line).append("\n");
    }

    /** docs/merging.md's table of the engine methods (Markdown): each method, then one row per declared parameter. */
    public static String engineMarkdownTable() {
        StringBuilder sb = new StringBuilder("| method | parameter | default | meaning |\n|---|---|---|---|\n");
        for (MergeMethods.Entry e : MergeMethods.entries()) {
            String names = "`" + e.name() + "`" + (e.aliases().isEmpty() ? ""
                    : " (" + String.join(", ", e.aliases().stream().map(a -> "`" + a + "`").toList()) + ")");
            sb.append("| ").append(names).append(" | | | ").append(e.doc().replace("|", "\\|")).append(" |\n");
            for (ParamDef d : e.params()) {
                sb.append("| | `").append(d.name()).append("` | ").append(d.defaultLabel().replace("|", "\\|")).append(" | ")
                        .append(d.doc().replace("|", "\\|")).append(" |\n");
            }
        }
        return sb.toString();
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
