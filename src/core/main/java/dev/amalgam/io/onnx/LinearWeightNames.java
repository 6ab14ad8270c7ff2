package dev.amalgam.io.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recovers Hugging Face names of Linear weights that the PyTorch exporter renamed (e.g.
 * {@code onnx::MatMul_787}) by walking the graph: {@code MatMul(x, W)} whose output is added to a
 * named bias {@code X.bias} (either Add input order) is {@code X.weight}, stored transposed
 * ([in, out] in ONNX, [out, in] in PyTorch). {@code Gemm(x, W, X.bias)} is handled too, transposed
 * unless {@code transB=1}.
 */
final class LinearWeightNames {

    /** A recovered name; {@code transpose} is true when the ONNX layout is [in, out]. */
    record Recovered(String name, boolean transpose) {
    }

    private LinearWeightNames() {
    }

    /** True for names the exporter made up rather than taking from the module's state dict. */
    static boolean isExporterName(String name) {
        return name.startsWith("onnx::") || name.startsWith("/") || name.isEmpty();
    }

    /**
     * Maps exporter-named weight tensors to their recovered names. Names that would collide with an
     * existing tensor, or that two weights would both claim, are left out and reported in {@code warnings}.
     */
    static Map<String, Recovered> recover(OnnxModel model, List<String> warnings) {
        Map<String, Recovered> found = new HashMap<>();
        Map<String, String> claimedBy = new HashMap<>();
        Set<String> conflicted = new HashSet<>();
        for (OnnxNode node : model.nodes) {
            String weight;
            String bias;
            boolean transpose;
            if (node.opType().equals("MatMul")) {
                weight = node.input(1);
                bias = biasAddedTo(model, node.output(0));
                transpose = true;
            } else if (node.opType().equals("Gemm")) {
                weight = node.input(1);
                bias = node.input(2);
                OnnxAttribute tb = node.attribute("transB");
                OnnxAttribute ta = node.attribute("transA");
                if (ta != null && ta.i() != 0) {
                    continue;
                }
                transpose = tb == null || tb.i() == 0;
            } else {
                continue;
            }
            OnnxTensor w = model.constant(weight);
            OnnxTensor b = bias == null ? null : model.constant(bias);
            if (w == null || !isExporterName(weight) || w.dims().length != 2 || b == null
                    || !bias.endsWith(".bias") || b.dims().length != 1) {
                continue;
            }
            long out = transpose ? w.dims()[1] : w.dims()[0];
            if (b.dims()[0] != out) {
                warnings.add("weight '" + weight + "' feeds bias '" + bias + "' of a different size; not renamed");
                continue;
            }
            String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
            Recovered previous = found.get(weight);
            if (previous != null && !previous.name().equals(name)) {
                conflicted.add(weight);
                warnings.add("weight '" + weight + "' is used as both '" + previous.name() + "' and '" + name
                        + "'; not renamed");
                continue;
            }
            String other = claimedBy.putIfAbsent(name, weight);
            if (other != null && !other.equals(weight) || model.constant(name) != null) {
                conflicted.add(weight);
                warnings.add("recovered name '" + name + "' for '" + weight + "' is already taken; not renamed");
                continue;
            }
            found.put(weight, new Recovered(name, transpose));
        }
        found.keySet().removeAll(conflicted);
        return found;
    }

    /** The named constant added to {@code value} by an Add node consuming it, or null. */
    private static String biasAddedTo(OnnxModel model, String value) {
        for (OnnxNode c : model.consumers(value)) {
            if (c.opType().equals("Add") && c.inputs().size() == 2) {
                String other = c.input(0).equals(value) ? c.input(1) : c.input(0);
                if (model.constant(other) != null) {
                    return other;
                }
            }
        }
        return null;
    }
}
