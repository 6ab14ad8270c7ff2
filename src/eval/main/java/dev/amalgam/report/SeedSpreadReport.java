package dev.amalgam.report;

import dev.amalgam.AmalgamException;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code amalgam report --merge-runs DIR...}: the same sweep run once per zoo seed, combined. For results.csv and
 * each comparison table every run has, {@code <table>-spread.csv} ({@link SeedSpread#of}) and one section of
 * {@code seed-spread.md} ({@link SeedSpread#wide}).
 */
public final class SeedSpreadReport {
    /** The tables combined, in order; results.csv must be in every run, the others where every run has them. */
    static final List<String> TABLES = List.of("results", NormalizedAccuracy.NAME, "lwptv-effect", "merge-vs-pretrained");

    private SeedSpreadReport() {
    }

    public static List<Path> write(List<Path> runs, Path out) {
        if (runs.size() < 2) {
            throw new AmalgamException("--merge-runs: give at least 2 run directories (one per zoo seed), got " + runs.size());
        }
        for (Path r : runs) {
            if (!Files.isRegularFile(r.resolve("results.csv"))) {
                throw new AmalgamException(r + ": not a run directory (no results.csv)");
            }
        }
        List<Path> files = new ArrayList<>();
        StringBuilder md = new StringBuilder("# Spread over " + runs.size() + " runs\n\nRuns: "
                + String.join(", ", runs.stream().map(Path::toString).toList()) + ". Per row and column: mean ± sample "
                + "standard deviation (min–max) over the runs, in percent (percentage points for Δ, low and high); "
                + "sig.: in how many runs the 95 % paired-bootstrap interval excluded 0 (docs/run.md, \"Statistics\").\n");
        try {
            Files.createDirectories(out);
            for (String name : TABLES) {
                List<Path> csv = runs.stream().map(r -> r.resolve(name + ".csv")).toList();
                if (!csv.stream().allMatch(Files::isRegularFile)) {
                    continue;
                }
                Table spread = SeedSpread.of(name + "-spread", csv);
                files.add(ReportWriter.csv(spread, out.resolve(name + "-spread.csv")));
                md.append("\n## ").append(name).append("\n\n").append(MarkdownTable.render(SeedSpread.wide(spread), true));
            }
            Path mdFile = out.resolve("seed-spread.md");
            Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
            files.add(mdFile);
        } catch (IOException e) {
            throw new AmalgamException(out + ": cannot write the spread over runs (" + e.getMessage() + ")");
        }
        return files;
    }
}
