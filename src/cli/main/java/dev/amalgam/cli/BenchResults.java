package dev.amalgam.cli;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a benchmark table as CSV and Markdown (shared by the bench subcommands). */
final class BenchResults {
    private BenchResults() {
    }

    /** Rows of equal length to {@code header}; returns the Markdown text. */
    static String write(Path outDir, String baseName, String title, List<String> notes, List<String> header,
                        List<List<String>> rows) {
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> r : rows) {
            csv.append(String.join(",", r)).append('\n');
        }
        StringBuilder md = new StringBuilder("### ").append(title).append("\n\n");
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        md.append('\n').append("| ").append(String.join(" | ", header)).append(" |\n|");
        md.append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        try {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve(baseName + ".csv"), csv);
            Files.writeString(outDir.resolve(baseName + ".md"), md);
        } catch (IOException e) {
            throw new AmalgamException(outDir + ": cannot write results (" + e.getMessage() + ")");
        }
        return md.toString();
    }

    static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
