package dev.amalgam.merge.mergekit;

import java.util.List;
import java.util.Map;

/**
 * Where one output tensor sits in a MergeKit plan: its layer position t ∈ [0, 1] (for gradients), the
 * parameters of its slice, and for every engine input (tasks 0..T−1, then the base at index T) the
 * name of the input tensor (for filters) and that input's own parameters.
 *
 * @param t              layer position for gradients (0 for tensors outside the layer stack)
 * @param sliceParams    the slice's {@code parameters} (empty in the {@code models:} form)
 * @param inputNames     input tensor name per engine input
 * @param inputParams    per engine input, its {@code models:} / slice-source parameters
 */
public record TensorContext(double t, Map<String, Object> sliceParams, List<String> inputNames,
                            List<Map<String, Object>> inputParams) {
}
