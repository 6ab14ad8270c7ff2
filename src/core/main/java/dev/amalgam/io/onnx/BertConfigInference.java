package dev.amalgam.io.onnx;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.io.TensorSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers a Hugging Face {@code config.json} for a BertModel from an imported ONNX graph: sizes from
 * the weight shapes, the head count from the attention Reshape shapes (or the 1/sqrt(head_dim)
 * score scale), layer_norm_eps from LayerNormalization or the decomposed ReduceMean/Add epsilon.
 */
final class BertConfigInference {
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d{1,9})\\.");

    private final OnnxModel model;
    private final TensorSource weights;
    private final List<String> warnings;
    private final Path file;

    private BertConfigInference(OnnxModel model, TensorSource weights, List<String> warnings) {
        this.model = model;
        this.weights = weights;
        this.warnings = warnings;
        this.file = model.file;
    }

    /** True when the weights look like a BertModel state dict (these three present, and matrices). */
    static boolean isBert(TensorSource weights) {
        return isMatrix(weights, "embeddings.word_embeddings.weight")
                && isMatrix(weights, "embeddings.position_embeddings.weight")
                && isMatrix(weights, "encoder.layer.0.attention.self.query.weight");
    }

    private static boolean isMatrix(TensorSource weights, String name) {
        return weights.contains(name) && weights.info(name).shape().length == 2;
    }

    static ObjectNode infer(OnnxModel model, TensorSource weights, List<String> warnings) {
        return new BertConfigInference(model, weights, warnings).infer();
    }

    private ObjectNode infer() {
        long[] words = weights.info("embeddings.word_embeddings.weight").shape();
        int hidden = (int) words[1];
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add("BertModel");
        c.put("model_type", "bert");
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", layerCount());
        c.put("num_attention_heads", heads(hidden));
        c.put("intermediate_size", dim("encoder.layer.0.intermediate.dense.weight", 0, 4 * hidden));
        c.put("hidden_act", activation());
        c.put("vocab_size", (int) words[0]);
        c.put("max_position_embeddings", dim("embeddings.position_embeddings.weight", 0, 512));
        c.put("type_vocab_size", dim("embeddings.token_type_embeddings.weight", 0, 2));
        c.put("layer_norm_eps", layerNormEps());
        c.put("pad_token_id", 0);
        c.put("position_embedding_type", "absolute");
        c.put("torch_dtype", weights.info("embeddings.word_embeddings.weight").dtype() == dev.amalgam.io.DType.F32
                ? "float32" : weights.info("embeddings.word_embeddings.weight").dtype().name().toLowerCase());
        return c;
    }

    private int dim(String name, int axis, int dflt) {
        if (!isMatrix(weights, name)) {
            warnings.add((weights.contains(name) ? "tensor '" + name + "' is not a matrix" : "no tensor '" + name + "'")
                    + "; using default " + dflt);
            return dflt;
        }
        return (int) weights.info(name).shape()[axis];
    }

    private int layerCount() {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String n : weights.names()) {
            Matcher m = LAYER.matcher(n);
            if (m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        int count = layers.isEmpty() ? 0 : layers.last() + 1;
        if (layers.size() != count) {
            warnings.add("encoder layers are not numbered 0.." + (count - 1) + ": " + layers);
        }
        return count;
    }

    /** Head count: votes from Reshape target shapes [.., .., heads, head_dim], then the score scale. */
    private int heads(int hidden) {
        Map<Integer, Integer> votes = new TreeMap<>();
        for (OnnxNode n : model.nodes) {
            if (n.opType().equals("Reshape")) {
                long[] shape = GraphConstants.longs(model, n.input(1));
                if (shape != null && shape.length == 4 && shape[2] > 1 && shape[3] > 1
                        && shape[2] * shape[3] == hidden) {
                    votes.merge((int) shape[2], 1, Integer::sum);
                }
            }
        }
        Integer fromScale = headsFromScoreScale(hidden);
        if (!votes.isEmpty()) {
            int best = votes.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
            if (votes.size() > 1 || fromScale != null && fromScale != best) {
                warnings.add("attention head count is ambiguous (reshape votes " + votes + ", score scale "
                        + fromScale + "); using " + best);
            }
            return best;
        }
        if (fromScale != null) {
            return fromScale;
        }
        warnings.add("could not find the attention head count in the graph; assuming head_dim 64 ("
                + hidden / 64 + " heads)");
        return Math.max(1, hidden / 64);
    }

    /** From {@code Div(MatMul(q, k), sqrt(d))} or {@code Mul(MatMul(q, k), 1/sqrt(d))}: hidden / d. */
    private Integer headsFromScoreScale(int hidden) {
        for (OnnxNode n : model.nodes) {
            boolean div = n.opType().equals("Div");
            if (!div && !n.opType().equals("Mul")) {
                continue;
            }
            OnnxNode mm = model.producer(n.input(0));
            Double c = GraphConstants.scalar(model, n.input(1));
            if (mm == null || c == null || !mm.opType().equals("MatMul")
                    || model.constant(mm.input(0)) != null || model.constant(mm.input(1)) != null) {
                continue;
            }
            double d = div ? c * c : 1 / (c * c);
            long headDim = Math.round(d);
            if (headDim > 1 && Math.abs(d - headDim) < 1e-3 * headDim && hidden % headDim == 0) {
                return (int) (hidden / headDim);
            }
        }
        return null;
    }

    private String activation() {
        boolean erf = false;
        boolean tanh = false;
        for (OnnxNode n : model.nodes) {
            erf |= n.opType().equals("Erf") || n.opType().equals("Gelu");
            tanh |= n.opType().equals("Tanh") || n.opType().equals("FastGelu");
        }
        if (!erf) {
            warnings.add("no Erf/Gelu node found" + (tanh ? " (a tanh approximation?)" : "")
                    + "; writing hidden_act 'gelu'");
        }
        return "gelu";
    }

    private double layerNormEps() {
        Map<Double, Integer> votes = new TreeMap<>();
        for (OnnxNode n : model.nodes) {
            if (n.opType().equals("LayerNormalization")) {
                OnnxAttribute e = n.attribute("epsilon");
                votes.merge(e == null || Float.isNaN(e.f()) ? 1e-5 : roundFloat(e.f()), 1, Integer::sum);
            } else if (n.opType().equals("Add") && feedsSqrt(n)) {
                for (int i = 0; i < 2; i++) {
                    OnnxNode p = model.producer(n.input(i));
                    Double c = GraphConstants.scalar(model, n.input(1 - i));
                    if (p != null && p.opType().equals("ReduceMean") && c != null) {
                        votes.merge(roundFloat(c.floatValue()), 1, Integer::sum);
                    }
                }
            }
        }
        if (votes.isEmpty()) {
            warnings.add("no LayerNorm epsilon found in the graph; using 1e-12");
            return 1e-12;
        }
        if (votes.size() > 1) {
            warnings.add("several LayerNorm epsilons " + votes + "; using the most common");
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
    }

    private boolean feedsSqrt(OnnxNode add) {
        for (OnnxNode c : model.consumers(add.output(0))) {
            if (c.opType().equals("Sqrt")) {
                return true;
            }
        }
        return false;
    }

    /** The shortest decimal that is the same float (9.9999998e-13f becomes 1e-12). */
    private static double roundFloat(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
