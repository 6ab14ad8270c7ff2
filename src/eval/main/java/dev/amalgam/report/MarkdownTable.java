package dev.amalgam.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Locale;

/**
 * GitHub-flavoured Markdown of a Tablesaw table. Double columns are shown as percentages with one
 * decimal when {@code percent} (the papers' convention, {@link Num#percent}), else with four decimals;
 * NaN shows as "–".
 */
public final class MarkdownTable {
    private MarkdownTable() {
    }

    public static String render(Table t, boolean percent) {
        StringBuilder sb = new StringBuilder();
        sb.append('|');
        for (Column<?> c : t.columns()) {
            sb.append(' ').append(cell(c.name())).append(" |");
        }
        sb.append("\n|");
        for (Column<?> c : t.columns()) {
            sb.append(c instanceof DoubleColumn ? "---:|" : "---|");
        }
        sb.append('\n');
        for (int r = 0; r < t.rowCount(); r++) {
            sb.append('|');
            for (Column<?> c : t.columns()) {
                sb.append(' ').append(format(c, r, percent)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String format(Column<?> c, int row, boolean percent) {
        if (c instanceof DoubleColumn) {
            return number(((DoubleColumn) c).getDouble(row), percent);
        }
        return cell(String.valueOf(c.get(row)));
    }

    static String number(double v, boolean percent) {
        return percent ? Num.percent(v) : Double.isNaN(v) ? Num.MISSING : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * The results table with n under each split ("mnist (n=200)") and each accuracy followed by its
     * 95 % Wilson interval ("96.1 (94.2–97.5)") where n is known; averages have no interval.
     */
    public static String results(ResultTable r) {
        StringBuilder sb = new StringBuilder("| method | kind |");
        for (String c : r.valueColumns()) {
            int n = r.examples(c);
            sb.append(' ').append(cell(c)).append(n > 0 ? " (n=" + n + ")" : "").append(" |");
        }
        sb.append("\n|---|---|").append("---:|".repeat(r.valueColumns().size())).append('\n');
        for (ResultTable.Row row : r.rows()) {
            sb.append("| ").append(cell(row.method())).append(" | ").append(row.kind().name().toLowerCase(Locale.ROOT)).append(" |");
            double[] v = r.values(row);
            for (int i = 0; i < v.length; i++) {
                double[] ci = r.interval(row, i);
                sb.append(' ').append(Num.percent(v[i]));
                if (!Double.isNaN(ci[0])) {
                    sb.append(" (").append(Num.percent(ci[0])).append('–').append(Num.percent(ci[1])).append(')');
                }
                sb.append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
