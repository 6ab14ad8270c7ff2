package dev.amalgam.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page: inline CSS, tables, and charts as inline SVG (no scripts, no fonts,
 * no external references), so it opens offline and can be attached to a CI run. The results table
 * gives n (examples) under each split's name and the 95 % Wilson interval under each accuracy.
 */
public final class HtmlReport {
    private static final String CSS = "body{font-family:DejaVu Sans,Verdana,Arial,sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:13px}"
            + "th,td{border:1px solid #ccc;padding:3px 7px;vertical-align:top}td.num{text-align:right;white-space:nowrap}"
            + "th{background:#f3f3f3}tr.pretrained td,tr.individual td,tr.multitask td{color:#555;font-style:italic}"
            + ".n,.ci{display:block;font-size:11px;color:#666;font-weight:normal;font-style:normal;white-space:nowrap}"
            + "table.results td:first-child{min-width:13em}div.wide{overflow-x:auto}"
            + "td.code{font-family:DejaVu Sans Mono,Menlo,Consolas,monospace;font-size:11px;max-width:44em}"
            + "figure{margin:1.5em 0;overflow-x:auto}figcaption{font-size:12px;color:#555;max-width:60em}p.note{font-size:13px;max-width:60em}";

    private HtmlReport() {
    }

    public static String render(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Svg.esc(report.title()))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        sb.append("<h1>").append(Svg.esc(report.title())).append("</h1>\n");
        ResultTable r = report.results();
        sb.append("<p class=\"note\">Accuracies in percent. ID avg: mean over tasks; OOD avg: mean over OOD entries. "
                + "Under each column name: n, the number of examples of that split. Under each accuracy: its 95 % "
                + "Wilson score interval (binomial, n examples; no interval where n is unknown or for the averages).</p>\n");
        sb.append(results(r));
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
                .append("<figcaption>One numbered point per row: ID average (x) against OOD average (y); the axes fit "
                        + "the data. Numbers and shapes match the legend; rows on the same spot share a label.</figcaption>"
                        + "</figure>\n");
        Map<String, List<Sweep>> charts = new LinkedHashMap<>();
        report.sweeps().forEach(s -> charts.computeIfAbsent(s.chart(), k -> new ArrayList<>()).add(s));
        for (Map.Entry<String, List<Sweep>> c : charts.entrySet()) {
            String axis = c.getValue().get(0).axis();
            String title = (c.getKey().isEmpty() ? "" : c.getKey() + ": ") + "accuracy vs " + axis;
            sb.append("<h2>").append(Svg.esc(title)).append("</h2><figure>")
                    .append(LineChartSvg.render(title, c.getValue(), axis))
                    .append("<figcaption>The accuracy axis fits the data (it does not start at 0). Solid lines and "
                            + "filled markers: ID average; dashed lines and hollow markers: OOD average. Earlier curves are drawn "
                            + "wider, so curves with the same values show as nested lines.</figcaption>"
                            + "</figure>\n");
        }
        if (report.saliency() != null) {
            sb.append("<h2>Task × layer saliency</h2><figure>")
                    .append(HeatmapSvg.render("Task × layer saliency", report.saliency()))
                    .append("<figcaption>Each cell prints its value; colour runs from white (smallest) to dark blue "
                            + "(largest); grey: n/a.</figcaption></figure>\n");
        }
        for (Table extra : report.tables()) {
            sb.append("<h2>").append(Svg.esc(extra.name())).append("</h2>\n");
            String note = ReportWriter.note(extra);
            if (!note.isEmpty()) {
                sb.append("<p class=\"note\">").append(Svg.esc(note)).append("</p>\n");
            }
            sb.append(table(extra));
        }
        return sb.append("</body></html>\n").toString();
    }

    /** The results table: n under each split's name, the 95 % Wilson interval under each accuracy. */
    static String results(ResultTable r) {
        List<String> cols = r.valueColumns();
        StringBuilder sb = new StringBuilder("<div class=\"wide\"><table class=\"results\"><thead><tr><th>method</th><th>kind</th>");
        for (String c : cols) {
            int n = r.examples(c);
            // long split names may wrap after ':', '/' or '_'
            sb.append("<th>").append(Svg.esc(c).replaceAll("([:/_])", "$1<wbr>"));
            if (n > 0) {
                sb.append("<span class=\"n\">n = ").append(n).append("</span>");
            }
            sb.append("</th>");
        }
        sb.append("</tr></thead><tbody>\n");
        for (ResultTable.Row row : r.rows()) {
            String kind = row.kind().name().toLowerCase(java.util.Locale.ROOT);
            sb.append("<tr class=\"").append(kind).append("\"><td>").append(Svg.esc(row.method())).append("</td><td>")
                    .append(kind).append("</td>");
            double[] v = r.values(row);
            for (int i = 0; i < v.length; i++) {
                sb.append("<td class=\"num\">").append(Svg.esc(Num.percent(v[i])));
                double[] ci = r.interval(row, i);
                if (!Double.isNaN(ci[0])) {
                    sb.append("<span class=\"ci\">").append(Num.percent(ci[0])).append("–").append(Num.percent(ci[1]))
                            .append("</span>");
                }
                sb.append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody></table></div>\n").toString();
    }

    static String table(Table t) {
        StringBuilder sb = new StringBuilder("<div class=\"wide\"><table><thead><tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<th>").append(Svg.esc(c.name())).append("</th>");
        }
        sb.append("</tr></thead><tbody>\n");
        Column<?> kind = t.columnNames().contains("kind") ? t.column("kind") : null;
        for (int r = 0; r < t.rowCount(); r++) {
            sb.append(kind == null ? "<tr>" : "<tr class=\"" + Svg.esc(String.valueOf(kind.get(r))) + "\">");
            for (Column<?> c : t.columns()) {
                boolean num = c instanceof DoubleColumn || c.name().equals("seconds");
                boolean code = c.name().equals("params") || c.name().equals("lwptv") || c.name().equals("cell");
                sb.append(num ? "<td class=\"num\">" : code ? "<td class=\"code\">" : "<td>")
                        .append(Svg.esc(MarkdownTable.format(c, r, true))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody></table></div>\n").toString();
    }
}
