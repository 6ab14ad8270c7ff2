package dev.amalgam.report;

/** A task x layer heatmap, white at the matrix minimum to dark blue at its maximum; NaN cells grey. */
public final class HeatmapSvg {
    private HeatmapSvg() {
    }

    public static String render(String title, Saliency s) {
        int cell = 18;
        int left = 130;
        int top = 40;
        int rows = s.tasks().size();
        int cols = s.layers().size();
        int width = left + cols * cell + 90;
        int height = top + rows * cell + 90;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : s.values()) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double span = hi > lo ? hi - lo : 1;
        StringBuilder sb = new StringBuilder(Svg.open(width, height, title));
        sb.append(Svg.text(width / 2.0, 18, title, "middle", 14));
        for (int r = 0; r < rows; r++) {
            sb.append(Svg.text(left - 6, top + r * cell + cell * 0.7, s.tasks().get(r), "end", 11));
            for (int c = 0; c < cols; c++) {
                double v = s.values()[r][c];
                String fill = Double.isNaN(v) ? "#eeeeee" : shade((v - lo) / span);
                sb.append("<rect x=\"").append(left + c * cell).append("\" y=\"").append(top + r * cell)
                        .append("\" width=\"").append(cell).append("\" height=\"").append(cell).append("\" fill=\"")
                        .append(fill).append("\"><title>").append(Svg.esc(s.tasks().get(r) + " / " + s.layers().get(c)
                                + ": " + (Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.4g", v))))
                        .append("</title></rect>");
            }
        }
        for (int c = 0; c < cols; c++) {
            double x = left + c * cell + cell / 2.0;
            double y = top + rows * cell + 8;
            sb.append("<text x=\"").append(Svg.n(x)).append("\" y=\"").append(Svg.n(y))
                    .append("\" text-anchor=\"end\" font-size=\"10\" transform=\"rotate(-60 ").append(Svg.n(x)).append(' ')
                    .append(Svg.n(y)).append(")\">").append(Svg.esc(s.layers().get(c))).append("</text>");
        }
        double lx = left + cols * cell + 15;
        for (int i = 0; i <= 10; i++) {
            sb.append("<rect x=\"").append(Svg.n(lx)).append("\" y=\"").append(Svg.n(top + (10 - i) * 8.0))
                    .append("\" width=\"12\" height=\"8\" fill=\"").append(shade(i / 10.0)).append("\"/>");
        }
        sb.append(Svg.text(lx + 16, top + 8, String.format(java.util.Locale.ROOT, "%.3g", hi), "start", 10));
        sb.append(Svg.text(lx + 16, top + 88, String.format(java.util.Locale.ROOT, "%.3g", lo), "start", 10));
        return sb.append("</svg>").toString();
    }

    /** t in [0, 1] -> white .. #08306b. */
    static String shade(double t) {
        t = Math.max(0, Math.min(1, t));
        int r = (int) Math.round(255 + (8 - 255) * t);
        int g = (int) Math.round(255 + (48 - 255) * t);
        int b = (int) Math.round(255 + (107 - 255) * t);
        return String.format("#%02x%02x%02x", r, g, b);
    }
}
