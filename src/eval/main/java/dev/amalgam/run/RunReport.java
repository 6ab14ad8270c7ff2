package dev.amalgam.run;

import dev.amalgam.io.Json;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.merge.lwptv.LwptvOptions;
import dev.amalgam.report.Report;
import dev.amalgam.report.ResultTable;
import dev.amalgam.report.Saliency;
import dev.amalgam.report.Sweep;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns finished cells into a {@link Report}: one result row per cell (held-out tasks as an extra
 * OOD block "unseen:TASK"), one "accuracy vs λ" chart per swept method entry, the first LwPTV
 * saliency matrix, the cell table (id, params, averages, seconds), and the {@link ComparisonTables}.
 */
public final class RunReport {
    /** Swept keys preferred as the x axis, in order; otherwise the first swept key. */
    private static final List<String> AXES = List.of("lambda", "alpha", "scaling_coef", "weight", "density", "k");
    public static final String UNSEEN = "unseen:";

    private RunReport() {
    }

    public static Report build(RunPlan plan, List<String> tasks, List<CellResult> results) {
        Set<String> taskSet = new LinkedHashSet<>(tasks);
        Set<String> ood = new LinkedHashSet<>();
        for (CellResult r : results) {
            if (r.cell().kind() != ResultTable.Kind.PRETRAINED) {
                if (tasks.isEmpty()) {
                    taskSet.addAll(r.id().keySet());
                }
                ood.addAll(r.ood().keySet());
            }
        }
        for (CellResult r : results) {
            if (r.cell().kind() == ResultTable.Kind.PRETRAINED && (taskSet.isEmpty() || ood.isEmpty())) {
                // only baselines ran: the pre-trained cell (all tasks of the suite) defines the columns
                if (taskSet.isEmpty()) {
                    taskSet.addAll(r.id().keySet());
                }
                ood.addAll(r.ood().keySet());
            }
        }
        plan.heldout().forEach(h -> ood.add(UNSEEN + h));
        ResultTable table = new ResultTable(new ArrayList<>(taskSet), new ArrayList<>(ood));
        Saliency saliency = null;
        for (CellResult r : results) {
            Map<String, Double> id = new LinkedHashMap<>(r.id());
            id.keySet().retainAll(taskSet);
            Map<String, Double> o = new LinkedHashMap<>(r.ood());
            r.unseen().forEach((k, v) -> o.put(UNSEEN + k, v));
            o.keySet().retainAll(ood);
            table.add(r.label(), r.cell().kind(), id, o);
            r.examples().forEach((col, n) -> {
                if (table.valueColumns().contains(col) && table.examples(col) == 0) {
                    table.examples(col, n);
                }
            });
            if (saliency == null) {
                saliency = r.saliency();
            }
        }
        List<Table> tables = new ArrayList<>();
        tables.add(cellTable(table, results, !plan.heldout().isEmpty()));
        tables.addAll(ComparisonTables.of(table, results));
        return new Report(plan.title(), table, sweeps(plan, table, results), saliency, tables);
    }

    /** Per method entry with a sweep: ID and OOD average against the axis value, one pair per other coordinate. */
    static List<Sweep> sweeps(RunPlan plan, ResultTable table, List<CellResult> results) {
        List<Sweep> out = new ArrayList<>();
        for (int m = 0; m < plan.charts().size(); m++) {
            Map<String, TreeMap<Double, double[]>> curves = new LinkedHashMap<>();
            String axis = null;
            final int entry = m;
            boolean someLwptv = results.stream().anyMatch(r -> r.cell().methodIndex() == entry && r.cell().lwptv() != null);
            for (int i = 0; i < results.size(); i++) {
                Cell c = results.get(i).cell();
                if (c.methodIndex() != m || c.swept().isEmpty()) {
                    continue;
                }
                axis = axis != null ? axis : axis(c.swept().keySet());
                if (!(c.swept().get(axis) instanceof Number x)) {
                    continue;
                }
                Map<String, Object> rest = new LinkedHashMap<>(c.swept());
                rest.remove(axis);
                String name = rest.isEmpty() ? "" : rest.toString().replaceAll("[{}]", "") + " ";
                if (c.lwptv() != null) {
                    name += "LwPTV" + (c.lwptv().isEmpty() ? "" : " " + c.lwptv().toString().replaceAll("[{}]", "")) + " ";
                } else if (someLwptv) {
                    name += "no LwPTV ";
                }
                ResultTable.Row row = table.rows().get(i);
                curves.computeIfAbsent(name, k -> new TreeMap<>())
                        .put(x.doubleValue(), new double[] {table.idAverage(row), table.oodAverage(row)});
            }
            for (Map.Entry<String, TreeMap<Double, double[]>> e : curves.entrySet()) {
                double[] xs = e.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
                String[] which = {"ID avg", "OOD avg"};
                for (int k = 0; k < 2; k++) {
                    final int kk = k;
                    double[] ys = e.getValue().values().stream().mapToDouble(v -> v[kk]).toArray();
                    if (java.util.Arrays.stream(ys).anyMatch(Double::isNaN)) {
                        continue; // e.g. no OOD columns: nothing to draw
                    }
                    out.add(new Sweep(e.getKey() + which[k], xs, ys, plan.charts().get(m), axis.equals("lambda") ? "λ" : axis));
                }
            }
        }
        return out;
    }

    private static String axis(Set<String> swept) {
        for (String a : AXES) {
            if (swept.contains(a)) {
                return a;
            }
        }
        return swept.iterator().next();
    }

    /** One row per cell: its id and configuration, averages (fractions) and wall seconds. */
    static Table cellTable(ResultTable table, List<CellResult> results, boolean unseen) {
        StringColumn id = StringColumn.create("cell");
        StringColumn kind = StringColumn.create("kind");
        StringColumn method = StringColumn.create("method");
        StringColumn params = StringColumn.create("params");
        StringColumn lwptv = StringColumn.create("lwptv");
        DoubleColumn idAvg = DoubleColumn.create("ID avg");
        DoubleColumn oodAvg = DoubleColumn.create("OOD avg");
        DoubleColumn unseenAvg = DoubleColumn.create("unseen avg");
        StringColumn seconds = StringColumn.create("seconds");
        for (int i = 0; i < results.size(); i++) {
            CellResult r = results.get(i);
            ResultTable.Row row = table.rows().get(i);
            id.append(r.cell().id());
            kind.append(r.cell().kind().name().toLowerCase(Locale.ROOT));
            method.append(r.cell().method() == null ? "" : r.cell().method());
            params.append(effectiveParams(r.cell()));
            lwptv.append(r.cell().lwptv() == null ? "" : effectiveLwptv(r.cell().lwptv()));
            idAvg.append(table.idAverage(row));
            oodAvg.append(table.oodAverage(row));
            double s = 0;
            int n = 0;
            for (double v : r.unseen().values()) {
                if (!Double.isNaN(v)) {
                    s += v;
                    n++;
                }
            }
            unseenAvg.append(n == 0 ? Double.NaN : s / n);
            seconds.append(String.format(Locale.ROOT, "%.1f", r.seconds()));
        }
        Table t = Table.create("cells", id, kind, method, params, lwptv, idAvg, oodAvg);
        if (unseen) {
            t.addColumns(unseenAvg);
        }
        return t.addColumns(seconds);
    }

    /**
     * The parameters the merge actually used, defaults included: the method's own {@code describe()}
     * (e.g. "ties(scope=..., k=20.0%, ...)"), not the recipe's params map (which is "{}" when
     * everything is defaulted). Baselines have none ("").
     */
    static String effectiveParams(Cell c) {
        if (c.method() == null) {
            return "";
        }
        try {
            // as CellEvaluator builds it (seed 0 for DARE), so the description is of the merge that ran
            return MergeJob.buildMethod(new MergeRecipe(c.label(), c.method(), Path.of("base"), List.of(), c.params(), null,
                    "base", null, 0L, null)).describe();
        } catch (RuntimeException e) {
            return c.method() + json(c.params());
        }
    }

    /** LwPTV options with their defaults filled in, e.g. "topk_share(k=20)/keep_ratio(0.75)/block". */
    static String effectiveLwptv(Map<String, Object> lwptv) {
        try {
            return LwptvOptions.from(lwptv).label();
        } catch (RuntimeException e) {
            return json(lwptv);
        }
    }

    private static String json(Map<String, Object> m) {
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return m.toString();
        }
    }
}
