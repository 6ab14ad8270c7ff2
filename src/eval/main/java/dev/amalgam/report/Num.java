package dev.amalgam.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How every report file writes a number, so CSV, Markdown and HTML agree:
 * <ul>
 *   <li>{@link #csv}: a fraction (or any value) rounded to {@value #CSV_DIGITS} significant digits and
 *       written in its shortest form ({@code 0.5599999999999999} → {@code 0.56}, {@code 1.0} → {@code 1});
 *       NaN (not measured) is an empty field. The unrounded doubles are in {@code cells/<id>.json}.</li>
 *   <li>{@link #percent}: an accuracy as a percentage with one decimal ({@code 0.5599999999999999} →
 *       {@code 56.0}), the papers' convention, in Markdown, HTML and chart labels; NaN is "–".</li>
 *   <li>{@link #shortest}: a parameter or axis value at up to {@code digits} significant digits
 *       ({@code 0.30000000000000004} → {@code 0.3}).</li>
 * </ul>
 */
public final class Num {
    /** Significant digits kept in CSV files: enough to tell apart accuracies on up to 100 000 examples. */
    public static final int CSV_DIGITS = 6;
    public static final String MISSING = "–";

    private Num() {
    }

    public static String csv(double v) {
        return Double.isNaN(v) ? "" : shortest(v, CSV_DIGITS);
    }

    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? MISSING : String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    /** {@code v} rounded to {@code digits} significant digits, trailing zeros dropped; scientific only for tiny/huge values. */
    public static String shortest(double v, int digits) {
        if (Double.isNaN(v)) {
            return MISSING;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e9) {
            return d.toPlainString();
        }
        return d.toString().replace("E+", "e").replace("E", "e");
    }
}
