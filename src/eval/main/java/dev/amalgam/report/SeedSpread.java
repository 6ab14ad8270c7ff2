package dev.amalgam.report;

import dev.amalgam.AmalgamException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spread over runs (one per zoo seed) of one report table, e.g. every run's results.csv or lwptv-effect.csv
 * (docs/run.md, "Statistics"). Rows are matched by their first two columns (method and kind; A and B); for each
 * numeric column: the runs that measured it, mean, sample standard deviation (n − 1), min and max; for each
 * yes/no column (a difference's "sig."): in how many runs it was "yes".
 */
public final class SeedSpread {
    private SeedSpread() {
    }

    /** Long format: key columns, column, runs, mean, sd, min, max, yes ("k/n" for yes/no columns, else empty). */
    public static Table of(String name, List<Path> csvFiles) {
        List<String> header = null;
        Map<List<String>, Map<String, List<String>>> rows = new LinkedHashMap<>();
        for (Path f : csvFiles) {
            List<List<String>> records = read(f);
            if (header == null) {
                header = records.get(0);
            } else if (!header.equals(records.get(0))) {
                throw new AmalgamException(f + ": columns " + records.get(0) + " differ from " + csvFiles.get(0) + "'s " + header);
            }
            for (List<String> r : records.subList(1, records.size())) {
                Map<String, List<String>> byColumn = rows.computeIfAbsent(r.subList(0, 2), k -> new LinkedHashMap<>());
                for (int c = 2; c < header.size(); c++) {
                    byColumn.computeIfAbsent(header.get(c), k -> new ArrayList<>()).add(c < r.size() ? r.get(c) : "");
                }
            }
        }
        StringColumn k0 = StringColumn.create(header.get(0));
        StringColumn k1 = StringColumn.create(header.get(1));
        StringColumn column = StringColumn.create("column");
        IntColumn runs = IntColumn.create("runs");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn sd = DoubleColumn.create("sd");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        StringColumn yes = StringColumn.create("yes");
        for (Map.Entry<List<String>, Map<String, List<String>>> row : rows.entrySet()) {
            for (Map.Entry<String, List<String>> col : row.getValue().entrySet()) {
                k0.append(row.getKey().get(0));
                k1.append(row.getKey().get(1));
                column.append(col.getKey());
                List<String> v = col.getValue();
                if (v.stream().allMatch(s -> s.isEmpty() || isNumber(s))) {
                    double[] x = v.stream().filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
                    double[] st = stats(x);
                    runs.append(x.length);
                    mean.append(st[0]);
                    sd.append(st[1]);
                    min.append(st[2]);
                    max.append(st[3]);
                    yes.append("");
                } else {
                    long decided = v.stream().filter(s -> s.equals("yes") || s.equals("no")).count();
                    runs.append((int) decided);
                    mean.appendMissing();
                    sd.appendMissing();
                    min.appendMissing();
                    max.appendMissing();
                    yes.append(v.stream().filter("yes"::equals).count() + "/" + decided);
                }
            }
        }
        return Table.create(name, k0, k1, column, runs, mean, sd, min, max, yes);
    }

    /** mean, sample sd (NaN for fewer than 2 values), min, max; NaNs when empty. */
    static double[] stats(double[] x) {
        if (x.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double s = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            s += v;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double m = s / x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return new double[] {m, x.length < 2 ? Double.NaN : Math.sqrt(ss / (x.length - 1)), lo, hi};
    }

    /**
     * One row per key, one column per measured column: "mean ± sd (min–max)" in percent (percentage points for
     * differences), or "k/n" for yes/no columns; for Markdown and HTML.
     */
    public static Table wide(Table spread) {
        Map<List<String>, Map<String, String>> rows = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        for (int r = 0; r < spread.rowCount(); r++) {
            String col = spread.stringColumn("column").get(r);
            if (!columns.contains(col)) {
                columns.add(col);
            }
            String yes = spread.stringColumn("yes").get(r);
            String cell = !yes.isEmpty() ? yes : Num.percent(spread.doubleColumn("mean").getDouble(r)) + " ± "
                    + Num.percent(spread.doubleColumn("sd").getDouble(r)) + " (" + Num.percent(spread.doubleColumn("min").getDouble(r))
                    + "–" + Num.percent(spread.doubleColumn("max").getDouble(r)) + ")";
            rows.computeIfAbsent(List.of(spread.stringColumn(0).get(r), spread.stringColumn(1).get(r)),
                    k -> new LinkedHashMap<>()).put(col, cell);
        }
        StringColumn k0 = StringColumn.create(spread.column(0).name());
        StringColumn k1 = StringColumn.create(spread.column(1).name());
        Table t = Table.create(spread.name(), k0, k1);
        List<StringColumn> cols = new ArrayList<>();
        columns.forEach(c -> cols.add(StringColumn.create(c)));
        cols.forEach(t::addColumns);
        for (Map.Entry<List<String>, Map<String, String>> e : rows.entrySet()) {
            k0.append(e.getKey().get(0));
            k1.append(e.getKey().get(1));
            for (int c = 0; c < columns.size(); c++) {
                cols.get(c).append(e.getValue().getOrDefault(columns.get(c), Num.MISSING));
            }
        }
        return t;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The records of a report CSV as {@link ReportWriter#csv} writes it (quoted fields hold no line breaks here). */
    static List<List<String>> read(Path f) {
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AmalgamException(f + ": cannot read (" + e.getMessage() + ")");
        }
        if (lines.isEmpty()) {
            throw new AmalgamException(f + ": empty, expected a header row");
        }
        List<List<String>> out = new ArrayList<>();
        for (String line : lines) {
            List<String> fields = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    fields.add(sb.toString());
                    sb.setLength(0);
                } else {
                    sb.append(c);
                }
            }
            fields.add(sb.toString());
            if (fields.size() < 2) {
                throw new AmalgamException(f + ": row '" + line + "' has fewer than 2 columns");
            }
            out.add(fields);
        }
        return out;
    }
}
