package dev.amalgam.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Json;
import dev.amalgam.io.SafetensorsHeaderWriter;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;

import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The task heads of aligned fine-tunes ({@link LayoutAlignment}), written next to the merged model as
 * {@code heads/<task>/}:
 * <pre>
 * head.safetensors   the fine-tune's tensors that were not merged, under its own names, dtypes unchanged
 * head.json          task, source, class, backbone prefix, tensor names; for a classifier
 *                    (classifier.weight [K, H] + classifier.bias [K]) also labels (config id2label) and
 *                    pooling, the format of {@link dev.amalgam.train.FineTunedHead}
 * config.json        the fine-tune's config.json (num_labels, id2label, its class)
 * </pre>
 * So {@code amalgam export MERGED --head MERGED/heads/<task>} serves the merged backbone with that
 * task's classifier, and {@code amalgam eval MERGED --suite text --head <task>=MERGED/heads/<task>}
 * scores it (mean-pooled heads).
 */
public final class TaskHeads {
    public static final String DIR = "heads";
    public static final String HEAD_FILE = "head.safetensors";
    public static final String HEAD_JSON = "head.json";

    private TaskHeads() {
    }

    /** Side files (relative name → content) for every aligned task that has a head. */
    public static Map<String, ShardedWriter.Content> files(LayoutAlignment.Result alignment) {
        Map<String, ShardedWriter.Content> files = new LinkedHashMap<>();
        for (LayoutAlignment.Task t : alignment.mappedTasks()) {
            if (t.heads().isEmpty()) {
                continue;
            }
            String dir = DIR + "/" + safeName(t.task()) + "/";
            files.put(dir + HEAD_FILE, out -> writeTensors(t.source(), t.heads(), out));
            byte[] json = CheckpointSink.prettyJson(headJson(t));
            files.put(dir + HEAD_JSON, out -> out.write(json));
            if (t.source().config() != null) {
                byte[] cfg = CheckpointSink.prettyJson(t.source().config());
                files.put(dir + "config.json", out -> out.write(cfg));
            }
        }
        return files;
    }

    static String safeName(String task) {
        if (task.isEmpty() || task.equals(".") || task.equals("..") || task.contains("/") || task.contains("\\")) {
            throw new AmalgamException("task name '" + task + "' cannot name a folder (heads/<task>/); set --tasks or models[].name");
        }
        return task;
    }

    static ObjectNode headJson(LayoutAlignment.Task t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("task", t.task());
        o.put("source", t.source().location().toAbsolutePath().normalize().toString());
        LayoutAlignment.Mapping m = t.mapping();
        if (m.ftArch() != null) {
            o.put("architecture", m.ftArch().name());
            o.put("base_architecture", m.baseArch().name());
        }
        o.put("backbone_prefix", m.ftPrefix());
        o.put("base_prefix", m.basePrefix());
        o.put("mapping", m.describe());
        ArrayNode names = o.putArray("tensors");
        t.heads().forEach(names::add);
        if (t.heads().contains("classifier.weight") && t.heads().contains("classifier.bias")) {
            long[] shape = t.source().info("classifier.weight").shape();
            if (shape.length == 2) {
                List<String> labels = labels(t.source().config(), (int) shape[0]);
                ArrayNode l = o.putArray("labels");
                labels.forEach(l::add);
                o.put("num_labels", labels.size());
                // BertForSequenceClassification scores the tanh pooler over [CLS]: "auto" is that when the
                // encoder has a pooler (FineTunedHead, serving); other classes are recorded as they are.
                o.putObject("model_options").put("pooling", "auto");
            }
        }
        return o;
    }

    /** id2label in index order, else LABEL_i as transformers names them. */
    static List<String> labels(ObjectNode config, int k) {
        List<String> out = new ArrayList<>();
        JsonNode id2label = config == null ? null : config.get("id2label");
        Map<Integer, String> byIndex = new TreeMap<>();
        if (id2label != null && id2label.isObject()) {
            id2label.fields().forEachRemaining(e -> {
                try {
                    byIndex.put(Integer.parseInt(e.getKey()), e.getValue().asText());
                } catch (NumberFormatException ignored) {
                    // not an index: fall back to LABEL_i
                }
            });
        }
        for (int i = 0; i < k; i++) {
            out.add(byIndex.getOrDefault(i, "LABEL_" + i));
        }
        return out;
    }

    private static void writeTensors(Checkpoint src, List<String> names, java.io.OutputStream out)
            throws java.io.IOException {
        List<TensorInfo> infos = new ArrayList<>();
        for (String n : names) {
            infos.add(src.info(n));
        }
        Map<String, String> meta = Map.of("amalgam_head_of", src.location().toAbsolutePath().normalize().toString());
        out.write(SafetensorsHeaderWriter.encode(infos, meta));
        WritableByteChannel ch = Channels.newChannel(out);
        for (String n : new java.util.TreeSet<>(names)) { // the header's order
            java.io.IOException failure = src.withBytes(n, b -> {
                try {
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    return null;
                } catch (java.io.IOException e) {
                    return e;
                }
            });
            if (failure != null) {
                throw failure;
            }
        }
    }
}
