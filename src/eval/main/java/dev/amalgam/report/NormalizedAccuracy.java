package dev.amalgam.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Normalized accuracy, the papers' merged ÷ individual: per task, a row's ID accuracy divided by the
 * individual fine-tune's on that task; "ID avg" the mean of those ratios over tasks, "OOD avg" the mean over the
 * OOD columns of the same ratio against the individual row's OOD accuracy (docs/run.md, "Statistics").
 */
public final class NormalizedAccuracy {
    public static final String NAME = "normalized-accuracy";

    private NormalizedAccuracy() {
    }

    /** One row per non-individual row of {@code results}; empty (no rows) when there is no individual row. */
    public static Table of(ResultTable results) {
        ResultTable.Row individual = results.rows().stream().filter(r -> r.kind() == ResultTable.Kind.INDIVIDUAL)
                .findFirst().orElse(null);
        StringColumn method = StringColumn.create("method");
        StringColumn kind = StringColumn.create("kind");
        List<DoubleColumn> perTask = new ArrayList<>();
        results.tasks().forEach(t -> perTask.add(DoubleColumn.create(t)));
        DoubleColumn idAvg = DoubleColumn.create("ID avg");
        DoubleColumn oodAvg = DoubleColumn.create("OOD avg");
        for (ResultTable.Row r : individual == null ? List.<ResultTable.Row>of() : results.rows()) {
            if (r.kind() == ResultTable.Kind.INDIVIDUAL) {
                continue;
            }
            method.append(r.method());
            kind.append(r.kind().name().toLowerCase(Locale.ROOT));
            List<Double> id = new ArrayList<>();
            for (int t = 0; t < perTask.size(); t++) {
                String task = results.tasks().get(t);
                double v = ratio(ResultTable.id(r, task), ResultTable.id(individual, task));
                perTask.get(t).append(v);
                id.add(v);
            }
            List<Double> ood = new ArrayList<>();
            for (String c : results.oodColumns()) {
                ood.add(ratio(ResultTable.ood(r, c), ResultTable.ood(individual, c)));
            }
            idAvg.append(ResultTable.meanOfPresent(id));
            oodAvg.append(ResultTable.meanOfPresent(ood));
        }
        Table t = Table.create(NAME, method, kind);
        perTask.forEach(t::addColumns);
        return t.addColumns(idAvg, oodAvg);
    }

    /** merged ÷ individual; NaN when either is missing or the individual scored 0. */
    static double ratio(double merged, double individual) {
        return Double.isNaN(merged) || Double.isNaN(individual) || individual == 0 ? Double.NaN : merged / individual;
    }
}
