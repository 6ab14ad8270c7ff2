package dev.amalgam.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Differences between pairs of rows, ID and OOD, each with its 95 % paired-bootstrap interval
 * ({@link PairedBootstrap}; docs/run.md, "Statistics"). A block's difference is the mean over the columns both rows
 * measured of (A − B); its interval needs every such column's per-example outcomes on both sides over the same
 * examples, and is left empty ("–", significant "n/a") otherwise.
 */
public final class DifferenceTable {
    public static final String YES = "yes";
    public static final String NO = "no";
    public static final String NA = "n/a";
    /** The note the Markdown and HTML reports put above a difference table. */
    public static final String NOTE = "Δ = A − B in percentage points (mean over the columns both rows measured); low–high: "
            + "95 % paired-bootstrap percentile interval (B = " + PairedBootstrap.DEFAULT_REPLICATES + ", seed "
            + PairedBootstrap.DEFAULT_SEED + ", examples resampled within each split; docs/run.md, \"Statistics\"); "
            + "sig.: the interval excludes 0.";

    private DifferenceTable() {
    }

    /**
     * One evaluated row: its label, values keyed like results.csv's columns ({@code <task>}, {@code ood:<column>};
     * NaN or absent = not measured) and per-example outcomes keyed the same way.
     */
    public record Side(String label, Map<String, Double> values, Map<String, Outcomes> outcomes) {
    }

    /** A row of the table: A against B. */
    public record Comparison(Side a, Side b) {
    }

    /**
     * @param aHeader, bHeader the names of the A and B label columns (the first two columns: the row's key)
     * @param id, ood          the columns each block averages, keyed like results.csv
     */
    public static Table of(String name, String aHeader, String bHeader, List<Comparison> rows, List<String> id,
                           List<String> ood) {
        StringColumn a = StringColumn.create(aHeader);
        StringColumn b = StringColumn.create(bHeader);
        Table t = Table.create(name, a, b);
        Block idBlock = new Block("ID", t);
        Block oodBlock = ood.isEmpty() ? null : new Block("OOD", t);
        for (Comparison c : rows) {
            a.append(c.a().label());
            b.append(c.b().label());
            idBlock.append(compare(c.a(), c.b(), id));
            if (oodBlock != null) {
                oodBlock.append(compare(c.a(), c.b(), ood));
            }
        }
        return t;
    }

    /** A − B over {@code columns}: with its paired-bootstrap interval when every compared column pairs, else without. */
    public static PairedBootstrap.Interval compare(Side a, Side b, List<String> columns) {
        List<PairedBootstrap.Pair> pairs = new ArrayList<>();
        double sum = 0;
        int n = 0;
        boolean paired = true;
        for (String c : columns) {
            double va = a.values().getOrDefault(c, Double.NaN);
            double vb = b.values().getOrDefault(c, Double.NaN);
            if (Double.isNaN(va) || Double.isNaN(vb)) {
                continue;
            }
            sum += va - vb;
            n++;
            Outcomes oa = a.outcomes().get(c);
            Outcomes ob = b.outcomes().get(c);
            if (oa != null && oa.pairsWith(ob)) {
                pairs.add(new PairedBootstrap.Pair(oa, ob));
            } else {
                paired = false;
            }
        }
        if (n == 0) {
            return new PairedBootstrap.Interval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return paired ? PairedBootstrap.of(pairs) : new PairedBootstrap.Interval(sum / n, Double.NaN, Double.NaN, n);
    }

    /** Four columns of one block: Δ, low, high, sig. */
    private static final class Block {
        final DoubleColumn delta;
        final DoubleColumn low;
        final DoubleColumn high;
        final StringColumn sig;

        Block(String name, Table t) {
            delta = DoubleColumn.create(name + " Δ");
            low = DoubleColumn.create(name + " low");
            high = DoubleColumn.create(name + " high");
            sig = StringColumn.create(name + " sig.");
            t.addColumns(delta, low, high, sig);
        }

        void append(PairedBootstrap.Interval i) {
            delta.append(i.difference());
            low.append(i.low());
            high.append(i.high());
            sig.append(Double.isNaN(i.low()) ? NA : i.significant() ? YES : NO);
        }
    }
}
