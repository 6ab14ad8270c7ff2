package dev.amalgam.eval.datasets.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Markdown table of split sizes and per-label counts of a built suite (for docs/datasets-text-suite.md).
 * {@code main(outDir [repoRoot])} builds the suite with default options if needed and prints the table.
 */
public final class TextSuiteTable {

    private TextSuiteTable() {
    }

    public static String markdown(TextSuiteManifest m) {
        StringBuilder sb = new StringBuilder();
        sb.append("| task | labels | train | val | test | ood |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (TextSuiteManifest.Task t : m.tasks()) {
            sb.append("| ").append(t.name()).append(" | ").append(String.join(", ", t.labels()));
            for (String split : TaskSplits.NAMES) {
                TextSuiteManifest.Split s = t.splits().get(split);
                sb.append(" | ").append(s.size()).append(" (").append(join(s.perLabel())).append(')');
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    private static String join(List<Integer> counts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < counts.size(); i++) {
            sb.append(i == 0 ? "" : "/").append(counts.get(i));
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/text-suite");
        Path repo = Path.of(args.length > 1 ? args[1] : ".");
        TextSuiteManifest m = TextSuiteBuilder.build(out, TextSuiteOptions.defaults(repo));
        System.out.print(markdown(m));
        for (TextSuiteManifest.Task t : m.tasks()) {
            System.out.println();
            System.out.println("- " + t.name() + ": " + t.source() + ". OOD: " + t.oodShift() + ".");
        }
        System.out.flush();
    }
}
