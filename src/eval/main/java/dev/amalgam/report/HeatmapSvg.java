package dev.amalgam.report;

import java.util.Locale;

/**
 * A task × layer heatmap, white at the matrix minimum to dark blue at its maximum, NaN cells grey.
 * Every cell prints its value (3 significant digits) in black or white, whichever contrasts more
 * with the cell's colour; cells are as wide as the longest value needs.
 */
public final class HeatmapSvg {
    private static final double VALUE_SIZE = 10;
    private static final double CELL_H = 22;

    private HeatmapSvg() {
    }

    public static String render(String title, Saliency s) {
        int rows = s.tasks().size();
        int cols = s.layers().size();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double widest = Svg.width("n/a", VALUE_SIZE);
        for (double[] row : s.values()) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    widest = Math.max(widest, Svg.width(value(v), VALUE_SIZE));
                }
            }
        }
        double span = hi > lo ? hi - lo : 1;
        double cellW = Math.max(26, Math.ceil(widest + 8));
        SvgCanvas c = new SvgCanvas();
        c.text(cols * cellW / 2, -14, title, "middle", 14, 0, "font-weight=\"bold\"");
        for (int r = 0; r < rows; r++) {
            c.text(-6, r * CELL_H + CELL_H / 2 + 4, s.tasks().get(r), "end", 11);
            for (int k = 0; k < cols; k++) {
                double v = s.values()[r][k];
                String fill = Double.isNaN(v) ? "#e6e6e6" : shade(Double.isNaN(v) ? 0 : (v - lo) / span);
                c.rect(k * cellW, r * CELL_H, cellW, CELL_H, "fill=\"" + fill + "\" stroke=\"#fff\" stroke-width=\"1\"",
                        s.tasks().get(r) + " / " + s.layers().get(k) + ": " + (Double.isNaN(v) ? "n/a" : value(v)));
                c.text(k * cellW + cellW / 2, r * CELL_H + CELL_H / 2 + 3.5, Double.isNaN(v) ? "n/a" : value(v), "middle",
                        VALUE_SIZE, 0, "fill=\"" + (Double.isNaN(v) ? "#555555" : Svg.textOn(fill)) + "\"");
            }
        }
        for (int k = 0; k < cols; k++) {
            double x = k * cellW + cellW / 2 + 3;
            c.text(x, rows * CELL_H + 8, s.layers().get(k), "end", 10, -60, "");
        }
        double lx = cols * cellW + 16;
        double barH = Math.max(80, rows * CELL_H);
        int steps = 20;
        for (int i = 0; i < steps; i++) {
            c.rect(lx, barH * i / steps, 12, barH / steps + 0.5, "fill=\"" + shade(1 - (i + 0.5) / steps) + "\" stroke=\"none\"",
                    null);
        }
        c.rect(lx, 0, 12, barH, "fill=\"none\" stroke=\"#888\"", null);
        c.text(lx + 16, 9, hi >= lo ? value(hi) : "–", "start", 10);
        c.text(lx + 16, barH, hi >= lo ? value(lo) : "–", "start", 10);
        c.text(lx + 16, barH / 2 + 4, "saliency", "start", 10, 0, "fill=\"#555\"");
        return c.render(title);
    }

    /** A cell value at 3 significant digits, e.g. 0.123, 12.3, 1.2e-05. */
    static String value(double v) {
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
            return String.format(Locale.ROOT, "%.2g", v).replace("e-0", "e-").replace("e+0", "e");
        }
        return Num.shortest(v, 3);
    }

    /** t in [0, 1] -> white .. #08306b. */
    static String shade(double t) {
        t = Math.max(0, Math.min(1, t));
        int r = (int) Math.round(255 + (8 - 255) * t);
        int g = (int) Math.round(255 + (48 - 255) * t);
        int b = (int) Math.round(255 + (107 - 255) * t);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }
}
