package dev.amalgam.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Grouped horizontal bars: one group per method (its full name on the left, never slanted or cut),
 * one bar per series (e.g. ID avg and OOD avg) with its value printed at the bar's end, in percent
 * from a zero baseline up to a whole tick above the largest value. Series differ in colour and
 * lightness (dark blue / light orange) so they stay apart in grey scale.
 */
public final class BarChartSvg {
    private static final double PLOT_W = 420;
    private static final double BAR = 12;
    private static final double GAP = 8;

    private BarChartSvg() {
    }

    /** @param values values[series][group], fractions in [0, 1]; NaN bars are left out ("–") */
    public static String render(String title, List<String> groups, List<String> series, double[][] values) {
        double groupH = BAR * series.size() + GAP;
        double plotH = Math.max(groupH, groupH * groups.size());
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, 100 * v);
                }
            }
        }
        double[] xr = Svg.niceRange(0, max, 1, 0, 100, 5);
        SvgCanvas c = new SvgCanvas();
        c.text(PLOT_W / 2, -34, title, "middle", 14, 0, "font-weight=\"bold\"");
        for (double t : Svg.ticks(0, xr[1], 5)) {
            double x = PLOT_W * t / xr[1];
            c.line(x, 0, x, plotH, "stroke=\"#e3e3e3\"");
            c.text(x, -6, Svg.tick(t, xr[2]), "middle", 11);
        }
        c.text(PLOT_W / 2, plotH + 20, "accuracy (%)", "middle", 12);
        for (int g = 0; g < groups.size(); g++) {
            double gy = g * groupH + GAP / 2;
            c.text(-8, gy + BAR * series.size() / 2.0 + 4, groups.get(g), "end", 11);
            for (int s = 0; s < series.size(); s++) {
                double v = values[s][g];
                double y = gy + s * BAR;
                if (Double.isNaN(v)) {
                    c.text(4, y + BAR - 2.5, series.get(s) + " –", "start", 9, 0, "fill=\"#666\"");
                    continue;
                }
                double w = PLOT_W * Math.max(0, Math.min(1, 100 * v / xr[1]));
                c.rect(0, y, w, BAR - 1, "fill=\"" + Svg.color(s) + "\" stroke=\"#333\" stroke-width=\"0.5\"",
                        groups.get(g) + " " + series.get(s) + ": " + Num.percent(v));
                c.text(w + 3, y + BAR - 2.5, Num.percent(v), "start", 9, 0, "fill=\"#333\"");
            }
        }
        c.line(0, 0, 0, plotH, "stroke=\"#444\"");
        List<Legend.Entry> legend = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            legend.add(new Legend.Entry(series.get(s), Svg.color(s), -1, -1));
        }
        Legend.draw(c, legend, PLOT_W + 36, 0);
        return c.render(title);
    }
}
