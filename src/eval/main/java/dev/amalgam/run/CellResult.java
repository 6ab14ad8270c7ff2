package dev.amalgam.run;

import dev.amalgam.report.Outcomes;
import dev.amalgam.report.Saliency;

import java.util.Map;

/**
 * What one finished cell measured: ID accuracy per task, OOD accuracy per column, accuracy per
 * held-out (unseen) task, wall seconds, the row label (the suite's own for the pre-trained row), the LwPTV
 * saliency matrix when the cell used LwPTV, and the number of examples behind each accuracy, keyed like
 * the columns of results.csv ({@code <task>}, {@code ood:<column>}, {@code ood:unseen:<task>}; empty when unknown,
 * e.g. a cell cached by an older version), and the per-example outcomes behind them, keyed the same way
 * (kept in {@code outcomes/<id>.bin}; empty when the suite or an older version did not keep them).
 */
public record CellResult(Cell cell, String label, Map<String, Double> id, Map<String, Double> ood, Map<String, Double> unseen,
                         double seconds, Saliency saliency, Map<String, Integer> examples, Map<String, Outcomes> outcomes) {
    public CellResult {
        examples = examples == null ? Map.of() : examples;
        outcomes = outcomes == null ? Map.of() : outcomes;
    }

    public CellResult(Cell cell, String label, Map<String, Double> id, Map<String, Double> ood, Map<String, Double> unseen,
                      double seconds, Saliency saliency, Map<String, Integer> examples) {
        this(cell, label, id, ood, unseen, seconds, saliency, examples, Map.of());
    }

    public CellResult(Cell cell, String label, Map<String, Double> id, Map<String, Double> ood, Map<String, Double> unseen,
                      double seconds, Saliency saliency) {
        this(cell, label, id, ood, unseen, seconds, saliency, Map.of());
    }
}
