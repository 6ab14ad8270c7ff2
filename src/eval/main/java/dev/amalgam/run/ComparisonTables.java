package dev.amalgam.run;

import dev.amalgam.report.DifferenceTable;
import dev.amalgam.report.NormalizedAccuracy;
import dev.amalgam.report.ResultTable;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tables a paper would print next to the results (docs/run.md, "Statistics"): normalized accuracy when there is
 * an individual row; the LwPTV effect (each LwPTV cell against the same method and params without it) and each merge
 * against the pre-trained model, ID and OOD, with 95 % paired-bootstrap intervals.
 */
public final class ComparisonTables {
    public static final String LWPTV_EFFECT = "lwptv-effect";
    public static final String VS_PRETRAINED = "merge-vs-pretrained";

    private ComparisonTables() {
    }

    /** {@code results.get(i)} is the cell behind {@code table.rows().get(i)}. */
    static List<Table> of(ResultTable table, List<CellResult> results) {
        List<Table> out = new ArrayList<>();
        List<DifferenceTable.Side> sides = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            sides.add(side(table, table.rows().get(i), results.get(i)));
        }
        List<String> id = new ArrayList<>(table.tasks());
        List<String> ood = table.oodColumns().stream().map(c -> "ood:" + c).toList();
        if (table.rows().stream().anyMatch(r -> r.kind() == ResultTable.Kind.INDIVIDUAL)) {
            out.add(NormalizedAccuracy.of(table));
        }
        List<DifferenceTable.Comparison> lwptv = new ArrayList<>();
        List<DifferenceTable.Comparison> vsPretrained = new ArrayList<>();
        int pretrained = -1;
        for (int i = 0; i < results.size(); i++) {
            pretrained = pretrained < 0 && results.get(i).cell().kind() == ResultTable.Kind.PRETRAINED ? i : pretrained;
        }
        for (int i = 0; i < results.size(); i++) {
            Cell c = results.get(i).cell();
            if (c.kind() != ResultTable.Kind.MERGED) {
                continue;
            }
            if (pretrained >= 0) {
                vsPretrained.add(new DifferenceTable.Comparison(sides.get(i), sides.get(pretrained)));
            }
            int without = withoutLwptv(results, c);
            if (without >= 0) {
                lwptv.add(new DifferenceTable.Comparison(sides.get(i), sides.get(without)));
            }
        }
        if (!lwptv.isEmpty()) {
            out.add(DifferenceTable.of(LWPTV_EFFECT, "with LwPTV (A)", "without LwPTV (B)", lwptv, id, ood));
        }
        if (!vsPretrained.isEmpty()) {
            out.add(DifferenceTable.of(VS_PRETRAINED, "merge (A)", "pre-trained (B)", vsPretrained, id, ood));
        }
        return out;
    }

    /** The index of the cell with the same method entry, method and params as LwPTV cell {@code c} but no LwPTV; -1 if none. */
    private static int withoutLwptv(List<CellResult> results, Cell c) {
        if (c.lwptv() == null) {
            return -1;
        }
        for (int j = 0; j < results.size(); j++) {
            Cell o = results.get(j).cell();
            if (o.kind() == ResultTable.Kind.MERGED && o.lwptv() == null && o.methodIndex() == c.methodIndex()
                    && Objects.equals(o.method(), c.method()) && Objects.equals(o.params(), c.params())) {
                return j;
            }
        }
        return -1;
    }

    /** A row's values keyed like results.csv's columns, with the cell's per-example outcomes. */
    private static DifferenceTable.Side side(ResultTable table, ResultTable.Row row, CellResult r) {
        Map<String, Double> values = new LinkedHashMap<>();
        table.tasks().forEach(t -> values.put(t, ResultTable.id(row, t)));
        table.oodColumns().forEach(c -> values.put("ood:" + c, ResultTable.ood(row, c)));
        return new DifferenceTable.Side(row.method(), values, r.outcomes());
    }
}
