package dev.amalgam.report;

import tech.tablesaw.api.DoubleColumn;
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
