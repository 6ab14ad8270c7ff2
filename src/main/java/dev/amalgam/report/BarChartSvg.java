package dev.amalgam.report;

import java.util.List;

/** Grouped vertical bars: one group per method, one bar per series (e.g. ID avg and OOD avg), values in percent. */
public final class BarChartSvg {
    private BarChartSvg() {
    }

    /** @param values values[series][group], fractions in [0, 1]; NaN bars are skipped */
    public static String render(String title, List<String> groups, List<String> series, double[][] values) {
        int left = 50;
        int bottom = 90;
        int top = 30;
        int groupWidth = Math.max(40, 18 * series.size() + 16);
        int width = left + groupWidth * groups.size() + 20 + 110;
        int height = 320;
        double plotH = height - top - bottom;
        StringBuilder sb = new StringBuilder(Svg.open(width, height, title));
        sb.append(Svg.text(width / 2.0, 18, title, "middle", 14));
        for (double t : Svg.ticks(0, 100, 5)) {
            double y = top + plotH * (1 - t / 100);
            sb.append("<line x1=\"").append(left).append("\" x2=\"").append(left + groupWidth * groups.size())
                    .append("\" y1=\"").append(Svg.n(y)).append("\" y2=\"").append(Svg.n(y)).append("\" stroke=\"#ddd\"/>");
            sb.append(Svg.text(left - 6, y + 4, String.format(java.util.Locale.ROOT, "%.0f", t), "end", 10));
        }
        double bar = (groupWidth - 16.0) / series.size();
        for (int g = 0; g < groups.size(); g++) {
            double gx = left + g * groupWidth + 8;
            for (int s = 0; s < series.size(); s++) {
                double v = values[s][g];
                if (Double.isNaN(v)) {
                    continue;
                }
                double h = plotH * Math.max(0, Math.min(1, v));
                sb.append("<rect x=\"").append(Svg.n(gx + s * bar)).append("\" y=\"").append(Svg.n(top + plotH - h))
                        .append("\" width=\"").append(Svg.n(bar - 2)).append("\" height=\"").append(Svg.n(h))
                        .append("\" fill=\"").append(Svg.color(s)).append("\"><title>")
                        .append(Svg.esc(groups.get(g) + " " + series.get(s) + ": " + MarkdownTable.number(v, true)))
                        .append("</title></rect>");
            }
            double lx = gx + (groupWidth - 16) / 2.0;
            double ly = top + plotH + 12;
            sb.append("<text x=\"").append(Svg.n(lx)).append("\" y=\"").append(Svg.n(ly))
                    .append("\" text-anchor=\"end\" font-size=\"10\" transform=\"rotate(-40 ").append(Svg.n(lx)).append(' ')
                    .append(Svg.n(ly)).append(")\">").append(Svg.esc(groups.get(g))).append("</text>");
        }
        legend(sb, series, left + groupWidth * groups.size() + 20, top);
        return sb.append("</svg>").toString();
    }

    static void legend(StringBuilder sb, List<String> names, double x, double y) {
        for (int i = 0; i < names.size(); i++) {
            sb.append("<rect x=\"").append(Svg.n(x)).append("\" y=\"").append(Svg.n(y + 16 * i))
                    .append("\" width=\"10\" height=\"10\" fill=\"").append(Svg.color(i)).append("\"/>");
            sb.append(Svg.text(x + 14, y + 16 * i + 9, names.get(i), "start", 11));
        }
    }
}
