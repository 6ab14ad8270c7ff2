package dev.amalgam.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results by method: per-task in-domain accuracy, per-entry OOD accuracy (a corruption split such
 * as {@code cars/motion_blur}, or an unseen task), and their unweighted averages. Accuracies are
 * fractions in [0, 1]; missing entries are NaN and left out of the averages. Each value column may
 * carry n, the number of examples it was measured on (0 = unknown), from which reports give a 95 %
 * {@link Wilson} interval.
 */
public final class ResultTable {

    /** What a row is; the reference rows frame the merged methods. */
    public enum Kind { PRETRAINED, INDIVIDUAL, MULTITASK, MERGED }

    public record Row(String method, Kind kind, Map<String, Double> id, Map<String, Double> ood) {
        public Row {
            id = new LinkedHashMap<>(id);
            ood = new LinkedHashMap<>(ood);
        }
    }

    private final List<String> tasks;
    private final List<String> oodColumns;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Integer> examples = new LinkedHashMap<>();

    public ResultTable(List<String> tasks, List<String> oodColumns) {
        this.tasks = List.copyOf(tasks);
        this.oodColumns = List.copyOf(oodColumns);
    }

    public ResultTable add(String method, Kind kind, Map<String, Double> id, Map<String, Double> ood) {
        for (String k : id.keySet()) {
            if (!tasks.contains(k)) {
                throw new IllegalArgumentException(method + ": unknown ID task " + k);
            }
        }
        for (String k : ood.keySet()) {
            if (!oodColumns.contains(k)) {
                throw new IllegalArgumentException(method + ": unknown OOD column " + k);
            }
        }
        rows.add(new Row(method, kind, id, ood));
        return this;
    }

    /**
     * Records that value column {@code column} (a task, or {@code ood:<column>} as in {@link #valueColumns()})
     * was measured on {@code n} examples; non-positive n is ignored.
     */
    public ResultTable examples(String column, int n) {
        if (!valueColumns().contains(column)) {
            throw new IllegalArgumentException("unknown value column " + column);
        }
        if (n > 0) {
            examples.put(column, n);
        }
        return this;
    }

    /** Examples behind value column {@code column}; 0 when unknown (and for the averages). */
    public int examples(String column) {
        return examples.getOrDefault(column, 0);
    }

    /** The 95 % Wilson interval of the value at {@code values(r)[i]}; NaNs when n is unknown. */
    public double[] interval(Row r, int i) {
        return Wilson.interval(values(r)[i], examples(valueColumns().get(i)));
    }

    public List<String> tasks() {
        return tasks;
    }

    public List<String> oodColumns() {
        return oodColumns;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public static double id(Row r, String task) {
        return r.id().getOrDefault(task, Double.NaN);
    }

    public static double ood(Row r, String column) {
        return r.ood().getOrDefault(column, Double.NaN);
    }

    public double idAverage(Row r) {
        return meanOfPresent(tasks.stream().map(t -> id(r, t)).toList());
    }

    public double oodAverage(Row r) {
        return meanOfPresent(oodColumns.stream().map(c -> ood(r, c)).toList());
    }

    static double meanOfPresent(List<Double> values) {
        double s = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Column headers in output order (after method and kind). */
    public List<String> valueColumns() {
        List<String> out = new ArrayList<>(tasks);
        oodColumns.forEach(c -> out.add("ood:" + c));
        out.add("ID avg");
        out.add("OOD avg");
        return out;
    }

    /** The values of {@link #valueColumns()} for one row. */
    public double[] values(Row r) {
        double[] out = new double[tasks.size() + oodColumns.size() + 2];
        int i = 0;
        for (String t : tasks) {
            out[i++] = id(r, t);
        }
        for (String c : oodColumns) {
            out[i++] = ood(r, c);
        }
        out[i++] = idAverage(r);
        out[i] = oodAverage(r);
        return out;
    }
}
