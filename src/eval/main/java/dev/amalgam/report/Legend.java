package dev.amalgam.report;

import java.util.List;

/** A vertical legend: per entry an optional line sample (dash pattern), a marker or swatch, and the text. */
final class Legend {
    static final double ROW = 18;
    static final double SIZE = 11;
    /** Legend texts longer than this wrap onto a second line (at a space); beyond two lines they are cut with "…". */
    static final int LINE_CHARS = 58;

    /**
     * @param shape marker shape, or -1 for a square colour swatch
     * @param dash  line style index ({@link Svg#dash}), or -1 for no line sample
     * @param hollow marker drawn white with a coloured outline (as {@link #markerStyle})
     */
    record Entry(String text, String color, int shape, int dash, boolean hollow) {
        Entry(String text, String color, int shape, int dash) {
            this(text, color, shape, dash, false);
        }
    }

    /** Fill and stroke of a marker: filled with a dark outline, or hollow with a coloured one. */
    static String markerStyle(String color, boolean hollow) {
        return hollow ? "fill=\"#ffffff\" stroke=\"" + color + "\" stroke-width=\"1.8\""
                : "fill=\"" + color + "\" stroke=\"#222\" stroke-width=\"0.7\"";
    }

    private Legend() {
    }

    /** Draws the entries downwards from (x, y) (top-left); returns the y below the last entry. */
    static double draw(SvgCanvas c, List<Entry> entries, double x, double y) {
        double textX = x + 34;
        double top = y;
        for (Entry e : entries) {
            List<String> lines = wrap(e.text());
            double cy = top + ROW / 2;
            top += ROW + (lines.size() - 1) * (SIZE + 2);
            if (e.dash() >= 0) {
                String d = Svg.dash(e.dash());
                c.line(x, cy, x + 28, cy, "stroke=\"" + e.color() + "\" stroke-width=\"2\""
                        + (d.isEmpty() ? "" : " stroke-dasharray=\"" + d + "\""));
            }
            if (e.shape() >= 0) {
                c.marker(e.shape(), x + 14, cy, 4.5, markerStyle(e.color(), e.hollow()), null);
            } else {
                c.rect(x + 8, cy - 6, 12, 12, "fill=\"" + e.color() + "\" stroke=\"#222\" stroke-width=\"0.6\"", null);
            }
            for (int l = 0; l < lines.size(); l++) {
                c.text(l == 0 ? textX : textX + 10, cy + 4 + l * (SIZE + 2), lines.get(l), "start", SIZE);
            }
        }
        return top;
    }

    /** One line, or two split at the last space before {@link #LINE_CHARS} (the second cut if still too long). */
    static List<String> wrap(String s) {
        if (s.length() <= LINE_CHARS) {
            return List.of(s);
        }
        int cut = s.lastIndexOf(' ', LINE_CHARS);
        if (cut < LINE_CHARS / 2) {
            cut = LINE_CHARS;
        }
        return List.of(s.substring(0, cut).stripTrailing(), Svg.shorten(s.substring(cut).strip(), LINE_CHARS));
    }
}
