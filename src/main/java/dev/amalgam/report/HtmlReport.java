package dev.amalgam.report;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page: inline CSS, tables, and charts as inline SVG (no scripts, no fonts,
 * no external references), so it opens offline and can be attached to a CI run.
 */
public final class HtmlReport {
    private static final String CSS = "body{font-family:sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:13px}"
            + "th,td{border:1px solid #ccc;padding:3px 7px}td.num{text-align:right}"
            + "th{background:#f3f3f3}tr.pretrained td,tr.individual td,tr.multitask td{color:#666;font-style:italic}"
            + "figure{margin:1.5em 0}figcaption{font-size:12px;color:#555}";

    private HtmlReport() {
    }

    public static String render(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Svg.esc(report.title()))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        sb.append("<h1>").append(Svg.esc(report.title())).append("</h1>\n");
        sb.append("<p>Accuracies in percent. ID avg: mean over tasks; OOD avg: mean over OOD entries.</p>\n");
        Table t = ReportTables.results(report.results(), "results");
        sb.append(table(t));
        ResultTable r = report.results();
        List<String> methods = new ArrayList<>();
        double[][] avgs = new double[2][r.rows().size()];
        for (int i = 0; i < r.rows().size(); i++) {
            ResultTable.Row row = r.rows().get(i);
            methods.add(row.method());
            avgs[0][i] = r.idAverage(row);
            avgs[1][i] = r.oodAverage(row);
        }
        sb.append("<figure>").append(BarChartSvg.render("ID vs OOD average accuracy", methods, List.of("ID avg", "OOD avg"), avgs))
                .append("<figcaption>Mean accuracy per method, in-domain and out-of-domain.</figcaption></figure>\n");
        sb.append("<figure>").append(ScatterSvg.render("ID vs OOD average accuracy", r))
                .append("<figcaption>One point per row: ID average (x) against OOD average (y).</figcaption></figure>\n");
        Map<String, List<Sweep>> charts = new LinkedHashMap<>();
        report.sweeps().forEach(s -> charts.computeIfAbsent(s.chart(), k -> new ArrayList<>()).add(s));
        for (Map.Entry<String, List<Sweep>> c : charts.entrySet()) {
            String axis = c.getValue().get(0).axis();
            String title = (c.getKey().isEmpty() ? "" : c.getKey() + ": ") + "accuracy vs " + axis;
            sb.append("<h2>").append(Svg.esc(title)).append("</h2><figure>")
                    .append(LineChartSvg.render(title, c.getValue(), axis)).append("</figure>\n");
        }
        if (report.saliency() != null) {
            sb.append("<h2>Task × layer saliency</h2><figure>")
                    .append(HeatmapSvg.render("Task × layer saliency", report.saliency())).append("</figure>\n");
        }
        for (Table extra : report.tables()) {
            sb.append("<h2>").append(Svg.esc(extra.name())).append("</h2>\n").append(table(extra));
        }
        return sb.append("</body></html>\n").toString();
    }

    static String table(Table t) {
        StringBuilder sb = new StringBuilder("<table><thead><tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<th>").append(Svg.esc(c.name())).append("</th>");
        }
        sb.append("</tr></thead><tbody>\n");
        Column<?> kind = t.columnNames().contains("kind") ? t.column("kind") : null;
        for (int r = 0; r < t.rowCount(); r++) {
            sb.append(kind == null ? "<tr>" : "<tr class=\"" + Svg.esc(String.valueOf(kind.get(r))) + "\">");
            for (Column<?> c : t.columns()) {
                boolean num = c.type() == ColumnType.DOUBLE;
                sb.append(num ? "<td class=\"num\">" : "<td>").append(Svg.esc(MarkdownTable.format(c, r, true))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody></table>\n").toString();
    }
}
