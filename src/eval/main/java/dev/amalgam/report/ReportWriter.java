package dev.amalgam.report;

import dev.amalgam.AmalgamException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a report directory: results.csv (fractions), intervals.csv (per split: n and 95 % Wilson
 * interval), results.md (percent, with n and intervals), report.html (self-contained), plus sweep.csv,
 * saliency.csv and one CSV per extra table when present. Returns the files written. CSV numbers are
 * rounded to {@value Num#CSV_DIGITS} significant digits in shortest form ({@link Num#csv}).
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
            out.add(csv(ReportTables.intervals(report.results()), dir.resolve("intervals.csv")));
            Path md = dir.resolve("results.md");
            Files.writeString(md, "# " + report.title() + "\n\nAccuracies in percent. (n=…): examples in that split; "
                    + "(lo–hi): 95 % Wilson score interval of the accuracy. ID avg / OOD avg: unweighted means, no interval.\n\n"
                    + MarkdownTable.results(report.results()) + extraMarkdown(report), StandardCharsets.UTF_8);
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
            sb.append("\n## ").append(t.name()).append("\n\n");
            String note = note(t);
            if (!note.isEmpty()) {
                sb.append(note).append("\n\n");
            }
            sb.append(MarkdownTable.render(t, true));
        }
        return sb.toString();
    }

    /** What an extra table's numbers mean, shown above it in Markdown and HTML ("" when it needs no note). */
    static String note(Table t) {
        if (t.name().equals(NormalizedAccuracy.NAME)) {
            return "Normalized accuracy in percent: the row's accuracy ÷ the individual fine-tune's, per task; "
                    + "ID avg / OOD avg: the mean of those ratios over the tasks / OOD columns.";
        }
        return t.columnNames().contains("ID sig.") ? DifferenceTable.NOTE : "";
    }

    /** RFC 4180 CSV: a header row, fields quoted when they hold a comma, quote or line break; doubles via {@link Num#csv}. */
    static Path csv(Table t, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Column<?>> cols = t.columns();
        for (int c = 0; c < cols.size(); c++) {
            sb.append(c == 0 ? "" : ",").append(field(cols.get(c).name()));
        }
        sb.append('\n');
        for (int r = 0; r < t.rowCount(); r++) {
            for (int c = 0; c < cols.size(); c++) {
                Column<?> col = cols.get(c);
                String v;
                if (col instanceof DoubleColumn) {
                    v = Num.csv(((DoubleColumn) col).getDouble(r));
                } else {
                    v = col.isMissing(r) ? "" : String.valueOf(col.get(r));
                }
                sb.append(c == 0 ? "" : ",").append(field(v));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
