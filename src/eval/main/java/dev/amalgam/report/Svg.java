package dev.amalgam.report;

import java.util.Locale;

/**
 * Tiny helpers for writing inline SVG by hand: escaping, number formatting, colours, marker shapes,
 * nice ticks, and an estimate of how wide a text is. The svg element carries no xmlns (HTML5 inline
 * SVG needs none), so reports hold no URL at all.
 *
 * <p>Text widths are estimated from DejaVu Sans advance widths (the sans-serif of most Linux
 * browsers, and wider than Arial/Helvetica), so a layout sized by {@link #width} holds its labels in
 * every common font; charts name that font family first.
 */
final class Svg {
    /** Colour-blind-safe (Okabe–Ito) colours, ordered so neighbours also differ in lightness. */
    static final String[] PALETTE = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000",
        "#f0e442"};
    static final String FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
    /** Marker shapes, cycled independently of colour so series stay apart in grey scale. */
    static final int SHAPES = 8;
    /** How much wider bold text is than regular (DejaVu Sans Bold vs Book: 1.1–1.23 per glyph). */
    static final double BOLD = 1.2;
    /** Ascent and descent of a line of text, as fractions of its font size (conservative for DejaVu Sans). */
    static final double ASCENT = 0.95;
    static final double DESCENT = 0.3;

    private Svg() {
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** Estimated advance width of {@code s} at {@code size} px. */
    static double width(String s, double size) {
        double em = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            em += advance(c);
            i += Character.charCount(c);
        }
        return em * size;
    }

    /** DejaVu Sans advance widths in em (rounded up); unknown characters count as wide as 'M'. */
    private static double advance(int c) {
        if (c >= '0' && c <= '9') {
            return 0.64;
        }
        if (c >= 'a' && c <= 'z') {
            return switch (c) {
                case 'f', 't' -> 0.4;
                case 'i', 'j', 'l' -> 0.28;
                case 'r' -> 0.42;
                case 'm' -> 0.98;
                case 'w' -> 0.82;
                case 's', 'z', 'c' -> 0.56;
                default -> 0.64;
            };
        }
        if (c >= 'A' && c <= 'Z') {
            return switch (c) {
                case 'I', 'J' -> 0.3;
                case 'M' -> 0.87;
                case 'W' -> 1.0;
                case 'L', 'F', 'P', 'T', 'Y' -> 0.63;
                default -> 0.8;
            };
        }
        return switch (c) {
            case ' ' -> 0.32;
            case '.', ',', ':', ';', '\'', '|', '!' -> 0.34;
            case '(', ')', '[', ']', '{', '}', '-' -> 0.4;
            case '/', '\\' -> 0.34;
            case '_', '–', '"' -> 0.5;
            case '=', '+', '<', '>', '×', '~', '±' -> 0.84;
            case '%' -> 0.95;
            case '#', '$', '&', '?', '*', '^' -> 0.8;
            case '@', '—' -> 1.0;
            case 'λ', 'α', 'θ', 'τ', 'μ' -> 0.66;
            case '…' -> 1.0;
            default -> c < 0x2E80 ? 0.9 : 1.0;
        };
    }

    /**
     * Estimated box {minX, minY, maxX, maxY} of a text drawn at (x, y) (baseline) with anchor
     * start/middle/end, rotated by {@code degrees} about (x, y) as {@code transform="rotate(degrees x y)"} does.
     */
    static double[] textBox(double x, double y, String s, String anchor, double size, double degrees) {
        return textBox(x, y, s, anchor, size, degrees, false);
    }

    /** As above; {@code bold} text is {@link #BOLD} times wider. */
    static double[] textBox(double x, double y, String s, String anchor, double size, double degrees, boolean bold) {
        double w = width(s, size) * (bold ? BOLD : 1);
        double x0 = switch (anchor) {
            case "middle" -> x - w / 2;
            case "end" -> x - w;
            default -> x;
        };
        double[][] corners = {{x0, y - ASCENT * size}, {x0 + w, y - ASCENT * size}, {x0, y + DESCENT * size},
            {x0 + w, y + DESCENT * size}};
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double[] box = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] p : corners) {
            double dx = p[0] - x;
            double dy = p[1] - y;
            double px = x + dx * cos - dy * sin;
            double py = y + dx * sin + dy * cos;
            box[0] = Math.min(box[0], px);
            box[1] = Math.min(box[1], py);
            box[2] = Math.max(box[2], px);
            box[3] = Math.max(box[3], py);
        }
        return box;
    }

    /** {@code s} cut to at most {@code max} characters with an ellipsis. */
    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Path data of marker {@code shape} (mod {@link #SHAPES}) centred at (x, y) with radius about r. */
    static String markerPath(int shape, double x, double y, double r) {
        double h = r * 0.9;
        return switch (Math.floorMod(shape, SHAPES)) {
            case 0 -> "M" + n(x - r) + " " + n(y) + " a" + n(r) + " " + n(r) + " 0 1 0 " + n(2 * r) + " 0 a" + n(r) + " "
                    + n(r) + " 0 1 0 " + n(-2 * r) + " 0 z";                                         // circle
            case 1 -> "M" + n(x - h) + " " + n(y - h) + " h" + n(2 * h) + " v" + n(2 * h) + " h" + n(-2 * h) + " z"; // square
            case 2 -> "M" + n(x) + " " + n(y - 1.15 * r) + " L" + n(x + r) + " " + n(y + 0.75 * r) + " L" + n(x - r) + " "
                    + n(y + 0.75 * r) + " z";                                                         // triangle up
            case 3 -> "M" + n(x) + " " + n(y - 1.2 * r) + " L" + n(x + 1.2 * r) + " " + n(y) + " L" + n(x) + " "
                    + n(y + 1.2 * r) + " L" + n(x - 1.2 * r) + " " + n(y) + " z";                     // diamond
            case 4 -> "M" + n(x) + " " + n(y + 1.15 * r) + " L" + n(x + r) + " " + n(y - 0.75 * r) + " L" + n(x - r) + " "
                    + n(y - 0.75 * r) + " z";                                                         // triangle down
            case 5 -> cross(x, y, r, 45);                                                             // ×
            case 6 -> cross(x, y, r, 0);                                                              // +
            default -> star(x, y, 1.25 * r);                                                          // star
        };
    }

    private static String cross(double x, double y, double r, double degrees) {
        double t = r * 0.38;
        double[][] pts = {{-t, -r}, {t, -r}, {t, -t}, {r, -t}, {r, t}, {t, t}, {t, r}, {-t, r}, {-t, t}, {-r, t}, {-r, -t},
            {-t, -t}};
        return polygon(x, y, pts, degrees);
    }

    private static String star(double x, double y, double r) {
        double[][] pts = new double[10][];
        for (int i = 0; i < 10; i++) {
            double a = Math.PI / 5 * i - Math.PI / 2;
            double rr = i % 2 == 0 ? r : r * 0.45;
            pts[i] = new double[] {rr * Math.cos(a), rr * Math.sin(a)};
        }
        return polygon(x, y, pts, 0);
    }

    private static String polygon(double x, double y, double[][] pts, double degrees) {
        double a = Math.toRadians(degrees);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pts.length; i++) {
            double px = x + pts[i][0] * Math.cos(a) - pts[i][1] * Math.sin(a);
            double py = y + pts[i][0] * Math.sin(a) + pts[i][1] * Math.cos(a);
            sb.append(i == 0 ? "M" : " L").append(n(px)).append(' ').append(n(py));
        }
        return sb.append(" z").toString();
    }

    /** Dash pattern for line style {@code i}: solid, dashed, dotted, dash-dot. */
    static String dash(int i) {
        return switch (Math.floorMod(i, 4)) {
            case 0 -> "";
            case 1 -> "7 4";
            case 2 -> "2 3";
            default -> "8 3 2 3";
        };
    }

    /** Evenly spaced "nice" ticks covering [lo, hi]. */
    static double[] ticks(double lo, double hi, int target) {
        double span = hi - lo;
        if (!(span > 0)) {
            return new double[] {lo};
        }
        double step = step(span, target);
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        double[] out = new double[(int) Math.max(1, last - first + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (first + i) * step;
        }
        return out;
    }

    /** A 1-2-5 step giving about {@code target} intervals over {@code span}. */
    static double step(double span, int target) {
        double raw = span / target;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    /**
     * An axis range for data in [lo, hi]: padded by 8 % of the span (at least {@code minPad}), widened to
     * whole ticks, kept within [floor, ceil]; returns {lo, hi, step}.
     */
    static double[] niceRange(double lo, double hi, double minPad, double floor, double ceil, int target) {
        if (!(hi >= lo)) {
            return new double[] {floor, ceil, step(ceil - floor, target)};
        }
        double pad = Math.max(minPad, (hi - lo) * 0.08);
        double a = Math.max(floor, lo - pad);
        double b = Math.min(ceil, hi + pad);
        if (!(b > a)) {
            b = a + minPad;
        }
        double step = step(b - a, target);
        a = Math.max(floor, Math.floor(a / step + 1e-9) * step);
        b = Math.min(ceil, Math.ceil(b / step - 1e-9) * step);
        return new double[] {a, b, step};
    }

    /** A tick label: no more decimals than the step needs. */
    static String tick(double v, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-6 ? 0.0 : v);
    }

    /** Relative luminance (WCAG) of a #rrggbb colour, in [0, 1]. */
    static double luminance(String hex) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /** Black or white, whichever contrasts more with {@code background} (WCAG contrast ratio). */
    static String textOn(String background) {
        double l = luminance(background);
        return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
    }
}
