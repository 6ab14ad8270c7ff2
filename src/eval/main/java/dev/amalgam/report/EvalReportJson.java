package dev.amalgam.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-task results as JSON in the shape of FusionBench's CLIP task-pool report, so numbers can be
 * compared side by side: {@code {"<task>": {"accuracy": a, "loss": l}, ..., "average": {"accuracy":
 * mean, "loss": mean}}}, plus Amalgam's {@code examples} count per task and a free-form
 * {@code model_info} object.
 */
public final class EvalReportJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReportJson() {
    }

    public static void write(Map<String, TaskMetrics> results, Map<String, Object> modelInfo, Path file) {
        ObjectNode root = JSON.createObjectNode();
        double acc = 0;
        double loss = 0;
        for (Map.Entry<String, TaskMetrics> e : results.entrySet()) {
            ObjectNode t = root.putObject(e.getKey());
            t.put("accuracy", e.getValue().accuracy());
            t.put("loss", e.getValue().loss());
            t.put("examples", e.getValue().examples());
            acc += e.getValue().accuracy();
            loss += e.getValue().loss();
        }
        if (!results.isEmpty()) {
            ObjectNode avg = root.putObject("average");
            avg.put("accuracy", acc / results.size());
            avg.put("loss", loss / results.size());
        }
        if (modelInfo != null && !modelInfo.isEmpty()) {
            root.set("model_info", JSON.valueToTree(modelInfo));
        }
        try {
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot write report (" + e.getMessage() + ")", e);
        }
    }

    /** Reads the per-task entries (skipping "average" and "model_info"); accepts FusionBench's own files. */
    public static Map<String, TaskMetrics> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AmalgamException(file + ": not a JSON report (" + e.getMessage() + ")", e);
        }
        Map<String, TaskMetrics> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("average") || e.getKey().equals("model_info")) {
                continue;
            }
            JsonNode a = e.getValue().get("accuracy");
            if (a == null || !a.isNumber()) {
                throw new AmalgamException(file + ": task '" + e.getKey() + "' has no numeric accuracy");
            }
            JsonNode l = e.getValue().get("loss");
            out.put(e.getKey(), new TaskMetrics(a.asDouble(), l == null ? Double.NaN : l.asDouble(),
                    e.getValue().path("examples").asLong(-1)));
        }
        return out;
    }
}
