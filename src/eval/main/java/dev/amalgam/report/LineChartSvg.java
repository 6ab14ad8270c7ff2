package dev.amalgam.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy (percent) against λ (or another swept value), one polyline with markers per sweep. The y
 * axis fits the data (padded to whole ticks, within 0–100) rather than spanning 0–100, so differences
 * of a few points stay visible; the axis says so by its tick labels. Curves named "… ID avg" and
 * "… OOD avg" of the same variant share colour and marker and differ in line style (solid / dashed),
 * so every curve is told apart by its legend in grey scale too.
 */
public final class LineChartSvg {
    private static final double PLOT_W = 420;
    private static final double PLOT_H = 260;

    private LineChartSvg() {
    }

    public static String render(String title, List<Sweep> sweeps) {
        return render(title, sweeps, "λ");
    }

    public static String render(String title, List<Sweep> sweeps, String axis) {
        double xlo = Double.POSITIVE_INFINITY;
        double xhi = Double.NEGATIVE_INFINITY;
        double ylo = Double.POSITIVE_INFINITY;
        double yhi = Double.NEGATIVE_INFINITY;
        for (Sweep s : sweeps) {
            for (int k = 0; k < s.lambdas().length; k++) {
                xlo = Math.min(xlo, s.lambdas()[k]);
                xhi = Math.max(xhi, s.lambdas()[k]);
                double a = s.accuracies()[k];
                if (!Double.isNaN(a)) {
                    ylo = Math.min(ylo, 100 * a);
                    yhi = Math.max(yhi, 100 * a);
                }
            }
        }
        if (!(xhi > xlo)) {
            double pad = xlo == 0 || Double.isInfinite(xlo) ? 1 : Math.abs(xlo) * 0.5;
            xlo = Double.isInfinite(xlo) ? 0 : xlo - pad;
            xhi = xlo + 2 * pad;
        }
        double[] yr = Svg.niceRange(ylo, yhi, 1, 0, 100, 5);
        double xstep = Svg.step(xhi - xlo, 8);
        double xspanPad = (xhi - xlo) * 0.04;
        final double x0 = xlo - xspanPad;
        final double x1 = xhi + xspanPad;
        SvgCanvas c = new SvgCanvas();
        c.text(PLOT_W / 2, -14, title, "middle", 14, 0, "font-weight=\"bold\"");
        c.rect(0, 0, PLOT_W, PLOT_H, "fill=\"none\" stroke=\"#888\"", null);
        for (double t : Svg.ticks(yr[0], yr[1], 5)) {
            double y = PLOT_H * (1 - (t - yr[0]) / (yr[1] - yr[0]));
            c.line(0, y, PLOT_W, y, "stroke=\"#e3e3e3\"");
            c.text(-6, y + 4, Svg.tick(t, yr[2]), "end", 11);
        }
        for (double t : Svg.ticks(xlo, xhi, 8)) {
            double x = PLOT_W * (t - x0) / (x1 - x0);
            c.line(x, 0, x, PLOT_H, "stroke=\"#f0f0f0\"");
            c.line(x, PLOT_H, x, PLOT_H + 4, "stroke=\"#888\"");
            c.text(x, PLOT_H + 17, Svg.tick(t, xstep), "middle", 11);
        }
        c.text(PLOT_W / 2, PLOT_H + 38, axis, "middle", 13);
        c.text(-42, PLOT_H / 2, "accuracy (%)", "middle", 12, -90, "");
        Map<String, Integer> variants = new LinkedHashMap<>();
        for (Sweep s : sweeps) {
            variants.computeIfAbsent(variant(s.name()), k -> variants.size());
        }
        List<Legend.Entry> legend = new ArrayList<>();
        for (Sweep s : sweeps) {
            String name = s.name();
            boolean ood = name.endsWith("OOD avg");
            int v = variants.get(variant(name));
            int style = ood ? 1 : 0;
            // earlier variants are drawn wider, so curves with identical values still show every colour
            int under = Math.min(3, variants.size() - 1 - v);
            double width = 1.8 + 1.6 * under;
            double radius = 4.5 + 1.7 * under;
            String color = Svg.color(v);
            StringBuilder pts = new StringBuilder();
            List<double[]> xy = new ArrayList<>();
            for (int k = 0; k < s.lambdas().length; k++) {
                double a = s.accuracies()[k];
                if (Double.isNaN(a)) {
                    continue;
                }
                double x = PLOT_W * (s.lambdas()[k] - x0) / (x1 - x0);
                double y = PLOT_H * (1 - (100 * a - yr[0]) / (yr[1] - yr[0]));
                pts.append(Svg.n(x)).append(',').append(Svg.n(y)).append(' ');
                xy.add(new double[] {x, y, s.lambdas()[k], a});
            }
            String d = Svg.dash(style);
            c.raw("<polyline fill=\"none\" stroke-width=\"" + Svg.n(width) + "\" stroke=\"" + color + "\""
                    + (d.isEmpty() ? "" : " stroke-dasharray=\"" + d + "\"") + " points=\"" + pts.toString().trim() + "\"/>",
                    0, 0, PLOT_W, PLOT_H);
            for (double[] p : xy) {
                c.marker(v, p[0], p[1], radius, Legend.markerStyle(color, ood),
                        name + " " + axis + "=" + Num.shortest(p[2], 4) + ": " + Num.percent(p[3]));
            }
            legend.add(new Legend.Entry(name, color, v, style, ood));
        }
        Legend.draw(c, legend, PLOT_W + 20, 0);
        return c.render(title);
    }

    /** The curve's variant: its name without a trailing "ID avg" / "OOD avg". */
    private static String variant(String name) {
        return name.endsWith("OOD avg") ? name.substring(0, name.length() - 7)
                : name.endsWith("ID avg") ? name.substring(0, name.length() - 6) : name;
    }
}
