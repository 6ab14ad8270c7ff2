package dev.amalgam.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ID average (x) against OOD average (y), in percent. Every result row is a numbered point: its
 * number is written next to it and in the legend with the row's name, and it has its own marker
 * shape and colour, so the chart reads in grey scale and in print. Rows that land on the same spot
 * share one label ("3,4"). Axes fit the data (padded, whole ticks).
 */
public final class ScatterSvg {
    private static final double PLOT_W = 440;
    private static final double PLOT_H = 360;
    private static final double R = 5;
    private static final double LABEL_SIZE = 11;

    private ScatterSvg() {
    }

    private record Point(int number, String name, double x, double y) {
    }

    public static String render(String title, ResultTable table) {
        List<Point> points = new ArrayList<>();
        List<Legend.Entry> legend = new ArrayList<>();
        for (ResultTable.Row r : table.rows()) {
            double x = table.idAverage(r);
            double y = table.oodAverage(r);
            if (!Double.isNaN(x) && !Double.isNaN(y)) {
                int i = points.size();
                points.add(new Point(i + 1, r.method(), 100 * x, 100 * y));
                legend.add(new Legend.Entry((i + 1) + "  " + r.method(), Svg.color(i), i, -1));
            }
        }
        double left = 0;
        double top = 0;
        double[] xr = Svg.niceRange(min(points, true), max(points, true), 1, 0, 100, 5);
        double[] yr = Svg.niceRange(min(points, false), max(points, false), 1, 0, 100, 5);
        SvgCanvas c = new SvgCanvas();
        c.text(left + PLOT_W / 2, top - 14, title, "middle", 14, 0, "font-weight=\"bold\"");
        c.rect(left, top, PLOT_W, PLOT_H, "fill=\"none\" stroke=\"#888\"", null);
        for (double t : Svg.ticks(yr[0], yr[1], 5)) {
            double y = py(t, yr, top);
            c.line(left, y, left + PLOT_W, y, "stroke=\"#e3e3e3\"");
            c.text(left - 6, y + 4, Svg.tick(t, yr[2]), "end", 11);
        }
        for (double t : Svg.ticks(xr[0], xr[1], 5)) {
            double x = px(t, xr, left);
            c.line(x, top, x, top + PLOT_H, "stroke=\"#e3e3e3\"");
            c.text(x, top + PLOT_H + 16, Svg.tick(t, xr[2]), "middle", 11);
        }
        c.text(left + PLOT_W / 2, top + PLOT_H + 36, "ID average accuracy (%)", "middle", 12);
        c.text(left - 42, top + PLOT_H / 2, "OOD average accuracy (%)", "middle", 12, -90, "");
        if (points.isEmpty()) {
            c.text(left + PLOT_W / 2, top + PLOT_H / 2, "no row has both an ID and an OOD average", "middle", 12);
        }
        // markers first (all of them are obstacles for the labels), then one label per spot
        List<double[]> taken = new ArrayList<>();
        List<double[]> spots = new ArrayList<>();
        List<String> spotLabels = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double x = px(p.x(), xr, left);
            double y = py(p.y(), yr, top);
            c.marker(i, x, y, R, Legend.markerStyle(Svg.color(i), false),
                    String.format(Locale.ROOT, "%d %s: ID %s, OOD %s", p.number(), p.name(), Num.percent(p.x() / 100),
                            Num.percent(p.y() / 100)));
            taken.add(new double[] {x - R - 1, y - R - 1, x + R + 1, y + R + 1});
            int same = -1;
            for (int s = 0; s < spots.size(); s++) {
                if (Math.abs(spots.get(s)[0] - x) < 2.5 && Math.abs(spots.get(s)[1] - y) < 2.5) {
                    same = s;
                }
            }
            if (same < 0) {
                spots.add(new double[] {x, y});
                spotLabels.add(Integer.toString(p.number()));
            } else {
                spotLabels.set(same, spotLabels.get(same) + "," + p.number());
            }
        }
        double[] plot = {left, top, left + PLOT_W, top + PLOT_H};
        for (int s = 0; s < spots.size(); s++) {
            place(c, spots.get(s)[0], spots.get(s)[1], spotLabels.get(s), taken, plot);
        }
        Legend.draw(c, legend, left + PLOT_W + 24, top);
        return c.render(title);
    }

    /**
     * Puts {@code label} next to the point at (x, y): the nearest spot, searched outwards in rings of
     * 12 directions, where it overlaps no marker or earlier label and stays inside the plot. A label
     * that had to move away from its point gets a thin leader line to it.
     */
    private static void place(SvgCanvas c, double x, double y, String label, List<double[]> taken, double[] plot) {
        double d = R + 3;
        double[] angles = {0, 180, -90, 90, -45, 45, -135, 135, -22.5, 22.5, -157.5, 157.5};
        double[] best = null;
        String bestAnchor = "start";
        double bestR = 0;
        search:
        for (double r : new double[] {d, 1.7 * d, 2.6 * d, 3.6 * d, 5 * d, 7 * d, 9 * d}) {
            for (double a : angles) {
                double cos = Math.cos(Math.toRadians(a));
                double sin = Math.sin(Math.toRadians(a));
                String anchor = cos > 0.3 ? "start" : cos < -0.3 ? "end" : "middle";
                double tx = x + r * cos;
                // baseline so that the text's box, not its baseline, sits at distance r
                double ty = y + r * sin + (sin < -0.3 ? 0 : sin > 0.3 ? 0.95 * LABEL_SIZE : 4);
                double[] b = Svg.textBox(tx, ty, label, anchor, LABEL_SIZE, 0, true);
                boolean inside = b[0] >= plot[0] + 1 && b[1] >= plot[1] + 1 && b[2] <= plot[2] - 1 && b[3] <= plot[3] - 1;
                if (inside && taken.stream().noneMatch(t -> overlaps(t, b))) {
                    best = new double[] {tx, ty};
                    bestAnchor = anchor;
                    bestR = r;
                    break search;
                }
            }
        }
        if (best == null) {
            best = new double[] {x + d, y + 4};
            bestR = d;
        }
        double[] b = Svg.textBox(best[0], best[1], label, bestAnchor, LABEL_SIZE, 0, true);
        // keep a gap to later labels so that neighbours do not read as one ("7 12,13")
        taken.add(new double[] {b[0] - 4, b[1] - 1, b[2] + 4, b[3] + 1});
        if (bestR > 1.5 * d) {
            // from the marker's edge to the nearest point of the label's box
            double nx = Math.max(b[0], Math.min(x, b[2]));
            double ny = Math.max(b[1] + 2, Math.min(y, b[3] - 2));
            double len = Math.hypot(nx - x, ny - y);
            if (len > R + 2) {
                c.line(x + (nx - x) * (R + 1) / len, y + (ny - y) * (R + 1) / len, nx, ny, "stroke=\"#666\" stroke-width=\"0.8\"");
            }
        }
        // a white halo keeps the number readable over grid lines and neighbouring markers
        c.text(best[0], best[1], label, bestAnchor, LABEL_SIZE, 0,
                "font-weight=\"bold\" fill=\"#111\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"");
    }

    private static boolean overlaps(double[] a, double[] b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }

    private static double px(double v, double[] r, double left) {
        return left + PLOT_W * (v - r[0]) / (r[1] - r[0]);
    }

    private static double py(double v, double[] r, double top) {
        return top + PLOT_H * (1 - (v - r[0]) / (r[1] - r[0]));
    }

    private static double min(List<Point> ps, boolean x) {
        return ps.stream().mapToDouble(p -> x ? p.x() : p.y()).min().orElse(Double.NaN);
    }

    private static double max(List<Point> ps, boolean x) {
        return ps.stream().mapToDouble(p -> x ? p.x() : p.y()).max().orElse(Double.NaN);
    }
}
