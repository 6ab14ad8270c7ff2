package dev.amalgam.report;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Locale;

/**
 * GitHub-flavoured Markdown of a Tablesaw table. Double columns are shown as percentages with one
 * decimal when {@code percent} (the papers' convention), else with four decimals; NaN shows as "–".
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
            sb.append(c.type() == ColumnType.DOUBLE ? "---:|" : "---|");
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
        if (c.type() == ColumnType.DOUBLE) {
            return number(((DoubleColumn) c).getDouble(row), percent);
        }
        return cell(String.valueOf(c.get(row)));
    }

    static String number(double v, boolean percent) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return percent ? String.format(Locale.ROOT, "%.1f", 100 * v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
