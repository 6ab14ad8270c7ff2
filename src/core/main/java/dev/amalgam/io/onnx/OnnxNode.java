package dev.amalgam.io.onnx;

import java.util.List;
import java.util.Map;

/** One NodeProto: operator, input/output value names and attributes by name. */
record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
                Map<String, OnnxAttribute> attributes) {

    OnnxAttribute attribute(String attrName) {
        return attributes.get(attrName);
    }

    String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    String output(int i) {
        return i < outputs.size() ? outputs.get(i) : "";
    }
}
