package dev.amalgam.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The check program's one table: a row per comparison or measurement, printed as markdown. */
public final class CheckTable {
    /** One row; {@code pass} is null for a measurement that has no limit. */
    public record Row(String check, String what, String metric, double value, String limit, Boolean pass, String note) {
        /** A comparison that threw: a failed row with the error's one line, so the other rows still run. */
        public static Row error(String check, String what, RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).replace('|', '/').replace('\n', ' ');
            return new Row(check, what, "error", Double.NaN, "—", false, e.getClass().getSimpleName() + ": " + msg);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    public synchronized void add(Row r) {
        rows.add(r);
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** True when no row failed its limit. */
    public boolean passed() {
        return rows.stream().noneMatch(r -> Boolean.FALSE.equals(r.pass()));
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("| check | what | metric | value | limit | result | note |\n");
        b.append("|---|---|---|---:|---:|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.check()).append(" | ").append(r.what()).append(" | ").append(r.metric()).append(" | ")
                    .append(format(r.value())).append(" | ").append(r.limit()).append(" | ")
                    .append(r.pass() != null ? (r.pass() ? "pass" : "**FAIL**") : Double.isNaN(r.value()) ? "not run" : "measured").append(" | ")
                    .append(r.note()).append(" |\n");
        }
        return b.toString();
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 0.01 && a < 1e6 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.2e", v);
    }
}
