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
 * Writes a report directory: results.csv (fractions), results.md (percent), report.html
 * (self-contained), plus sweep.csv, saliency.csv and one CSV per extra table when present. Returns the files written.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    public static List<Path> write(Report report, Path dir) {
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Table results = ReportTables.results(report.results(), report.title());
            out.add(csv(results, dir.resolve("results.csv")));
            Path md = dir.resolve("results.md");
            Files.writeString(md, "# " + report.title() + "\n\nAccuracies in percent.\n\n"
                    + MarkdownTable.render(results, true) + extraMarkdown(report), StandardCharsets.UTF_8);
            out.add(md);
            if (!report.sweeps().isEmpty()) {
                out.add(csv(ReportTables.sweep(report.sweeps()), dir.resolve("sweep.csv")));
            }
            if (report.saliency() != null) {
                out.add(csv(ReportTables.saliency(report.saliency()), dir.resolve("saliency.csv")));
            }
            for (Table extra : report.tables()) {
                out.add(csv(extra, dir.resolve(extra.name() + ".csv")));
            }
            Path html = dir.resolve("report.html");
            Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
            out.add(html);
        } catch (IOException e) {
            throw new AmalgamException(dir + ": cannot write report (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static String extraMarkdown(Report report) {
        StringBuilder sb = new StringBuilder();
        for (Table t : report.tables()) {
            sb.append("\n## ").append(t.name()).append("\n\n").append(MarkdownTable.render(t, true));
        }
        return sb.toString();
    }

    private static Path csv(Table t, Path file) throws IOException {
        t.write().csv(file.toFile());
        return file;
    }
}
