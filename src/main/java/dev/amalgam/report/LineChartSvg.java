package dev.amalgam.report;

import java.util.List;

/** Accuracy (percent) against λ (or another swept value), one polyline with markers per sweep. */
public final class LineChartSvg {
    private LineChartSvg() {
    }

    public static String render(String title, List<Sweep> sweeps) {
        return render(title, sweeps, "λ");
    }

    public static String render(String title, List<Sweep> sweeps, String axis) {
        int width = 560;
        int height = 320;
        int left = 50;
        int right = 190;
        int top = 30;
        int bottom = 40;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Sweep s : sweeps) {
            for (double l : s.lambdas()) {
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        final double xlo = lo;
        final double xspan = hi - lo;
        StringBuilder sb = new StringBuilder(Svg.open(width, height, title));
        sb.append(Svg.text(width / 2.0, 18, title, "middle", 14));
        for (double t : Svg.ticks(0, 100, 5)) {
            double y = top + plotH * (1 - t / 100);
            sb.append("<line x1=\"").append(left).append("\" x2=\"").append(Svg.n(left + plotW)).append("\" y1=\"")
                    .append(Svg.n(y)).append("\" y2=\"").append(Svg.n(y)).append("\" stroke=\"#ddd\"/>");
            sb.append(Svg.text(left - 6, y + 4, String.format(java.util.Locale.ROOT, "%.0f", t), "end", 10));
        }
        for (double t : Svg.ticks(lo, hi, 6)) {
            double x = left + plotW * (t - xlo) / xspan;
            sb.append(Svg.text(x, top + plotH + 16, String.format(java.util.Locale.ROOT, "%.2f", t), "middle", 10));
        }
        sb.append(Svg.text(left + plotW / 2, height - 6, axis, "middle", 12));
        for (int i = 0; i < sweeps.size(); i++) {
            Sweep s = sweeps.get(i);
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < s.lambdas().length; k++) {
                double x = left + plotW * (s.lambdas()[k] - xlo) / xspan;
                double y = top + plotH * (1 - Math.max(0, Math.min(1, s.accuracies()[k])));
                pts.append(Svg.n(x)).append(',').append(Svg.n(y)).append(' ');
                sb.append("<circle cx=\"").append(Svg.n(x)).append("\" cy=\"").append(Svg.n(y)).append("\" r=\"3\" fill=\"")
                        .append(Svg.color(i)).append("\"><title>").append(Svg.esc(s.name() + " " + axis + "=" + s.lambdas()[k] + ": "
                                + MarkdownTable.number(s.accuracies()[k], true))).append("</title></circle>");
            }
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(Svg.color(i)).append("\" points=\"")
                    .append(pts.toString().trim()).append("\"/>");
        }
        BarChartSvg.legend(sb, sweeps.stream().map(Sweep::name).toList(), left + plotW + 15, top);
        return sb.append("</svg>").toString();
    }
}
