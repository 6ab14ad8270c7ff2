package dev.amalgam.report;

/**
 * An SVG being drawn: every element widens a bounding box (texts by their estimated extent, see
 * {@link Svg#textBox}), and {@link #render} sets the viewBox to that box plus a margin, so no
 * label, tick or legend entry can fall outside the picture however long it is.
 */
final class SvgCanvas {
    static final double MARGIN = 6;

    private final StringBuilder body = new StringBuilder();
    private double minX = Double.POSITIVE_INFINITY;
    private double minY = Double.POSITIVE_INFINITY;
    private double maxX = Double.NEGATIVE_INFINITY;
    private double maxY = Double.NEGATIVE_INFINITY;

    void include(double x0, double y0, double x1, double y1) {
        minX = Math.min(minX, Math.min(x0, x1));
        minY = Math.min(minY, Math.min(y0, y1));
        maxX = Math.max(maxX, Math.max(x0, x1));
        maxY = Math.max(maxY, Math.max(y0, y1));
    }

    SvgCanvas text(double x, double y, String s, String anchor, double size) {
        return text(x, y, s, anchor, size, 0, "");
    }

    /** A text; {@code attrs} are extra attributes (e.g. {@code fill="#fff" font-weight="bold"}), placed before the rotation. */
    SvgCanvas text(double x, double y, String s, String anchor, double size, double degrees, String attrs) {
        double[] b = Svg.textBox(x, y, s, anchor, size, degrees, attrs.contains("font-weight=\"bold\""));
        include(b[0], b[1], b[2], b[3]);
        body.append("<text x=\"").append(Svg.n(x)).append("\" y=\"").append(Svg.n(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" font-size=\"").append(Svg.n(size)).append('"');
        if (!attrs.isEmpty()) {
            body.append(' ').append(attrs);
        }
        if (degrees != 0) {
            body.append(" transform=\"rotate(").append(Svg.n(degrees)).append(' ').append(Svg.n(x)).append(' ')
                    .append(Svg.n(y)).append(")\"");
        }
        body.append('>').append(Svg.esc(s)).append("</text>");
        return this;
    }

    SvgCanvas line(double x1, double y1, double x2, double y2, String attrs) {
        include(x1, y1, x2, y2);
        body.append("<line x1=\"").append(Svg.n(x1)).append("\" y1=\"").append(Svg.n(y1)).append("\" x2=\"")
                .append(Svg.n(x2)).append("\" y2=\"").append(Svg.n(y2)).append("\" ").append(attrs).append("/>");
        return this;
    }

    SvgCanvas rect(double x, double y, double w, double h, String attrs, String tooltip) {
        include(x, y, x + w, y + h);
        body.append("<rect x=\"").append(Svg.n(x)).append("\" y=\"").append(Svg.n(y)).append("\" width=\"")
                .append(Svg.n(w)).append("\" height=\"").append(Svg.n(h)).append("\" ").append(attrs);
        return close("rect", tooltip);
    }

    /** Marker {@code shape} at (x, y), radius r. */
    SvgCanvas marker(int shape, double x, double y, double r, String attrs, String tooltip) {
        include(x - 1.3 * r, y - 1.3 * r, x + 1.3 * r, y + 1.3 * r);
        body.append("<path d=\"").append(Svg.markerPath(shape, x, y, r)).append("\" ").append(attrs);
        return close("path", tooltip);
    }

    /** Any other element whose extent the caller knows. */
    SvgCanvas raw(String element, double x0, double y0, double x1, double y1) {
        include(x0, y0, x1, y1);
        body.append(element);
        return this;
    }

    private SvgCanvas close(String tag, String tooltip) {
        if (tooltip == null) {
            body.append("/>");
        } else {
            body.append("><title>").append(Svg.esc(tooltip)).append("</title></").append(tag).append('>');
        }
        return this;
    }

    double maxX() {
        return maxX;
    }

    double maxY() {
        return maxY;
    }

    double minX() {
        return minX;
    }

    /** The svg element: viewBox = everything drawn plus {@link #MARGIN}, drawn at 1 px per unit. */
    String render(String title) {
        double x = Math.floor(minX - MARGIN);
        double y = Math.floor(minY - MARGIN);
        double w = Math.ceil(maxX + MARGIN - x);
        double h = Math.ceil(maxY + MARGIN - y);
        return "<svg width=\"" + (long) w + "\" height=\"" + (long) h + "\" viewBox=\"" + (long) x + " " + (long) y + " "
                + (long) w + " " + (long) h + "\" font-family=\"" + Svg.FONT + "\" role=\"img\" aria-label=\""
                + Svg.esc(title) + "\"><title>" + Svg.esc(title) + "</title>" + body + "</svg>";
    }
}
