package dev.amalgam.io.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an ONNX ModelProto Amalgam uses: graph nodes, initializers and Constant tensors. */
final class OnnxModel {
    final Path file;
    long irVersion;
    String producer = "";
    final Map<String, Long> opsets = new LinkedHashMap<>();
    final List<OnnxNode> nodes = new ArrayList<>();
    final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
    /** Tensors of Constant nodes ("value" attribute), keyed by the node's output name. */
    final Map<String, OnnxTensor> constants = new LinkedHashMap<>();
    final List<String> graphInputs = new ArrayList<>();
    final List<String> graphOutputs = new ArrayList<>();
    private Map<String, OnnxNode> producers;
    private Map<String, List<OnnxNode>> consumers;

    OnnxModel(Path file) {
        this.file = file;
    }

    /** An initializer or Constant-node tensor by value name, or null. */
    OnnxTensor constant(String name) {
        OnnxTensor t = initializers.get(name);
        return t != null ? t : constants.get(name);
    }

    /** The node producing a value, or null for graph inputs and initializers. */
    OnnxNode producer(String value) {
        if (producers == null) {
            producers = new HashMap<>();
            for (OnnxNode n : nodes) {
                for (String o : n.outputs()) {
                    producers.put(o, n);
                }
            }
        }
        return producers.get(value);
    }

    /** The nodes reading a value. */
    List<OnnxNode> consumers(String value) {
        if (consumers == null) {
            consumers = new HashMap<>();
            for (OnnxNode n : nodes) {
                for (String in : n.inputs()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        return consumers.getOrDefault(value, List.of());
    }
}
