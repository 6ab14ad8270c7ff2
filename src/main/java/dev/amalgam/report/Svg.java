package dev.amalgam.report;

import java.util.Locale;

/**
 * Tiny helpers for writing inline SVG by hand: escaping, number formatting, a colour palette. The
 * svg element carries no xmlns (HTML5 inline SVG needs none), so reports hold no URL at all.
 */
final class Svg {
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
        "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

    private Svg() {
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static String open(int width, int height, String title) {
        return "<svg width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" role=\"img\" aria-label=\"" + esc(title) + "\">"
                + "<title>" + esc(title) + "</title>";
    }

    static String text(double x, double y, String s, String anchor, int size) {
        return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" + size + "\">"
                + esc(s) + "</text>";
    }

    /** Evenly spaced "nice" ticks covering [lo, hi]. */
    static double[] ticks(double lo, double hi, int target) {
        double span = hi - lo;
        if (!(span > 0)) {
            return new double[] {lo};
        }
        double raw = span / target;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
        int first = (int) Math.ceil(lo / step - 1e-9);
        int last = (int) Math.floor(hi / step + 1e-9);
        double[] out = new double[Math.max(1, last - first + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (first + i) * step;
        }
        return out;
    }
}
