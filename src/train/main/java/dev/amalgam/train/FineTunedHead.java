package dev.amalgam.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.heads.LinearHead;
import dev.amalgam.io.Json;
import dev.amalgam.io.SafetensorsFile;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.DTypeConversion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The task head saved by {@link CheckpointSaver}: {@code head.safetensors} ({@code classifier.weight
 * [K, H]}, {@code classifier.bias [K]}) and {@code head.json} (label names, pooling). Lets evaluation
 * put a fine-tuned task's own head on a merged backbone.
 */
public record FineTunedHead(List<String> labels, float[][] weight, float[] bias, String pooling) {

    public static FineTunedHead read(Path checkpointDir) {
        Path jsonFile = checkpointDir.resolve(CheckpointSaver.HEAD_JSON);
        JsonNode json = Json.readFile(jsonFile);
        return read(checkpointDir, json.path("labels"), "", json);
    }

    /**
     * The head of {@code task} in a multi-task checkpoint ({@link MultiTaskFineTuning}): tensors
     * {@code <task>.classifier.*}, labels from head.json's {@code tasks[].labels}.
     */
    public static FineTunedHead read(Path checkpointDir, String task) {
        Path jsonFile = checkpointDir.resolve(CheckpointSaver.HEAD_JSON);
        JsonNode json = Json.readFile(jsonFile);
        for (JsonNode t : json.path("tasks")) {
            if (task.equals(t.path("name").asText())) {
                return read(checkpointDir, t.path("labels"), task + ".", json);
            }
        }
        throw new AmalgamException(jsonFile + ": no head for task '" + task + "'");
    }

    private static FineTunedHead read(Path checkpointDir, JsonNode labelNodes, String prefix, JsonNode json) {
        Path jsonFile = checkpointDir.resolve(CheckpointSaver.HEAD_JSON);
        List<String> labels = new ArrayList<>();
        labelNodes.forEach(n -> labels.add(n.asText()));
        String pooling = json.path("model_options").path("pooling").asText("auto");
        Path file = checkpointDir.resolve(CheckpointSaver.HEAD_FILE);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            if (!st.contains(prefix + "classifier.weight") || !st.contains(prefix + "classifier.bias")) {
                throw new AmalgamException(file + ": missing " + prefix + "classifier.weight or .bias");
            }
            float[] w = floats(st, prefix + "classifier.weight");
            float[] b = floats(st, prefix + "classifier.bias");
            long[] shape = st.info(prefix + "classifier.weight").shape();
            if (shape.length != 2 || shape[0] != labels.size() || b.length != labels.size()) {
                throw new AmalgamException(file + ": classifier shapes do not match the " + labels.size()
                        + " labels of " + jsonFile);
            }
            int k = (int) shape[0];
            int h = (int) shape[1];
            float[][] rows = new float[k][h];
            for (int c = 0; c < k; c++) {
                System.arraycopy(w, c * h, rows[c], 0, h);
            }
            return new FineTunedHead(List.copyOf(labels), rows, b, pooling);
        }
    }

    public LinearHead toLinearHead() {
        return new LinearHead(weight, bias);
    }

    private static float[] floats(SafetensorsFile st, String name) {
        TensorInfo info = st.info(name);
        if (!info.dtype().isFloat()) {
            throw new AmalgamException(st.describe() + ": tensor '" + name + "' is not a float tensor");
        }
        return DTypeConversion.toFloatArray(st.bytes(name), info.dtype());
    }
}
