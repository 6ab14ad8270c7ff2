package dev.amalgam.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/** Converts result data to Tablesaw tables (one row per method; fractions, not percentages). */
public final class ReportTables {
    private ReportTables() {
    }

    public static Table results(ResultTable results, String title) {
        Table t = Table.create(title);
        StringColumn method = StringColumn.create("method");
        StringColumn kind = StringColumn.create("kind");
        List<String> cols = results.valueColumns();
        DoubleColumn[] values = new DoubleColumn[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            values[c] = DoubleColumn.create(cols.get(c));
        }
        for (ResultTable.Row r : results.rows()) {
            method.append(r.method());
            kind.append(r.kind().name().toLowerCase());
            double[] v = results.values(r);
            for (int c = 0; c < v.length; c++) {
                values[c].append(v[c]);
            }
        }
        t.addColumns(method, kind);
        t.addColumns(values);
        return t;
    }

    /**
     * Long format of the per-split accuracies with their uncertainty: method, kind, column (as in
     * results.csv), accuracy, n (examples; empty when unknown) and the 95 % Wilson interval
     * ci95_low/ci95_high (fractions). The averages are not repeated here.
     */
    public static Table intervals(ResultTable results) {
        StringColumn method = StringColumn.create("method");
        StringColumn kind = StringColumn.create("kind");
        StringColumn column = StringColumn.create("column");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        IntColumn n = IntColumn.create("n");
        DoubleColumn lo = DoubleColumn.create("ci95_low");
        DoubleColumn hi = DoubleColumn.create("ci95_high");
        List<String> cols = results.valueColumns();
        int perSplit = results.tasks().size() + results.oodColumns().size();
        for (ResultTable.Row r : results.rows()) {
            double[] v = results.values(r);
            for (int c = 0; c < perSplit; c++) {
                method.append(r.method());
                kind.append(r.kind().name().toLowerCase());
                column.append(cols.get(c));
                acc.append(v[c]);
                int examples = results.examples(cols.get(c));
                if (examples > 0) {
                    n.append(examples);
                } else {
                    n.appendMissing();
                }
                double[] ci = results.interval(r, c);
                lo.append(ci[0]);
                hi.append(ci[1]);
            }
        }
        return Table.create("intervals", method, kind, column, acc, n, lo, hi);
    }

    /** Long format of the sweeps: chart, series, axis, lambda (the swept value), accuracy. */
    public static Table sweep(List<Sweep> sweeps) {
        StringColumn chart = StringColumn.create("chart");
        StringColumn axis = StringColumn.create("axis");
        StringColumn series = StringColumn.create("series");
        DoubleColumn lambda = DoubleColumn.create("lambda");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        for (Sweep s : sweeps) {
            for (int i = 0; i < s.lambdas().length; i++) {
                chart.append(s.chart());
                axis.append(s.axis());
                series.append(s.name());
                lambda.append(s.lambdas()[i]);
                acc.append(s.accuracies()[i]);
            }
        }
        return Table.create("sweep", chart, series, axis, lambda, acc);
    }

    /** Saliency matrix: one row per task, one column per layer. */
    public static Table saliency(Saliency s) {
        Table t = Table.create("saliency", StringColumn.create("task", s.tasks()));
        for (int l = 0; l < s.layers().size(); l++) {
            double[] col = new double[s.tasks().size()];
            for (int k = 0; k < col.length; k++) {
                col[k] = s.values()[k][l];
            }
            t.addColumns(DoubleColumn.create(s.layers().get(l), col));
        }
        return t;
    }
}
