package dev.amalgam.run;

import dev.amalgam.report.ResultTable;

import java.util.Map;

/**
 * One unit of a run: a baseline (pre-trained, individual fine-tuned) or one merge configuration
 * (method, params, LwPTV options or null). Its {@code id} is a hash of its canonical JSON together with
 * what it is evaluated on, so it is stable across re-runs and changes exactly when the result would.
 *
 * @param methodIndex position of the recipe's method entry (-1 for baselines), for grouping sweeps
 * @param swept       the values of the swept params of this cell (subset of {@code params})
 */
public record Cell(String id, ResultTable.Kind kind, String label, String method, Map<String, Object> params,
                   Map<String, Object> lwptv, int methodIndex, Map<String, Object> swept) {
}
