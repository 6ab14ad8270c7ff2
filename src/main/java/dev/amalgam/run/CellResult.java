package dev.amalgam.run;

import dev.amalgam.report.Saliency;

import java.util.Map;

/**
 * What one finished cell measured: ID accuracy per task, OOD accuracy per column, accuracy per
 * held-out (unseen) task, wall seconds, the row label (the suite's own for the pre-trained row), and the LwPTV saliency matrix when the cell used LwPTV.
 */
public record CellResult(Cell cell, String label, Map<String, Double> id, Map<String, Double> ood, Map<String, Double> unseen,
                         double seconds, Saliency saliency) {
}
