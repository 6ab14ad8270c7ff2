package dev.amalgam.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** ID average (x) against OOD average (y), in percent: one diamond per result row, legend by row. */
public final class ScatterSvg {
    private ScatterSvg() {
    }

    public static String render(String title, ResultTable table) {
        List<String> names = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (ResultTable.Row r : table.rows()) {
            double x = table.idAverage(r);
            double y = table.oodAverage(r);
            if (!Double.isNaN(x) && !Double.isNaN(y)) {
                names.add(r.method());
                points.add(new double[] {100 * x, 100 * y});
            }
        }
        int left = 50;
        int top = 30;
        int plot = 300;
        int width = left + plot + 320;
        int height = Math.max(top + plot + 45, top + 16 * names.size() + 10);
        double[] xr = range(points, 0);
        double[] yr = range(points, 1);
        StringBuilder sb = new StringBuilder(Svg.open(width, height, title));
        sb.append(Svg.text(left + plot / 2.0, 18, title, "middle", 14));
        for (double t : Svg.ticks(yr[0], yr[1], 5)) {
            double y = top + plot * (1 - (t - yr[0]) / (yr[1] - yr[0]));
            sb.append("<line x1=\"").append(left).append("\" x2=\"").append(left + plot).append("\" y1=\"").append(Svg.n(y))
                    .append("\" y2=\"").append(Svg.n(y)).append("\" stroke=\"#ddd\"/>");
            sb.append(Svg.text(left - 6, y + 4, String.format(Locale.ROOT, "%.0f", t), "end", 10));
        }
        for (double t : Svg.ticks(xr[0], xr[1], 5)) {
            double x = left + plot * (t - xr[0]) / (xr[1] - xr[0]);
            sb.append("<line x1=\"").append(Svg.n(x)).append("\" x2=\"").append(Svg.n(x)).append("\" y1=\"").append(top)
                    .append("\" y2=\"").append(top + plot).append("\" stroke=\"#eee\"/>");
            sb.append(Svg.text(x, top + plot + 16, String.format(Locale.ROOT, "%.0f", t), "middle", 10));
        }
        sb.append(Svg.text(left + plot / 2.0, top + plot + 34, "ID avg (%)", "middle", 12));
        sb.append("<text x=\"12\" y=\"").append(top + plot / 2).append("\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
                .append(top + plot / 2).append(")\">OOD avg (%)</text>");
        for (int i = 0; i < points.size(); i++) {
            double x = left + plot * (points.get(i)[0] - xr[0]) / (xr[1] - xr[0]);
            double y = top + plot * (1 - (points.get(i)[1] - yr[0]) / (yr[1] - yr[0]));
            sb.append("<path d=\"M").append(Svg.n(x)).append(' ').append(Svg.n(y - 5)).append(" l5 5 l-5 5 l-5 -5 z\" fill=\"")
                    .append(Svg.color(i)).append("\"><title>").append(Svg.esc(String.format(Locale.ROOT, "%s: ID %.1f, OOD %.1f",
                            names.get(i), points.get(i)[0], points.get(i)[1]))).append("</title></path>");
        }
        BarChartSvg.legend(sb, names, left + plot + 20, top);
        return sb.append("</svg>").toString();
    }

    /** [lo, hi] of one coordinate, padded and never empty. */
    private static double[] range(List<double[]> points, int axis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            lo = Math.min(lo, p[axis]);
            hi = Math.max(hi, p[axis]);
        }
        if (points.isEmpty()) {
            return new double[] {0, 100};
        }
        double pad = Math.max(1, (hi - lo) * 0.08);
        return new double[] {Math.max(0, lo - pad), Math.min(100, hi + pad) > Math.max(0, lo - pad)
                ? Math.min(100, hi + pad) : Math.max(0, lo - pad) + 1};
    }
}
