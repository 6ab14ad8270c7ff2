package dev.amalgam.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code amalgam inspect} reports about a checkpoint, as a JSON tree (header data only; no tensor is read). */
public final class CheckpointSummary {
    private CheckpointSummary() {
    }

    public static ObjectNode of(Checkpoint c) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("path", c.location().toString());
        root.put("format", c.format());
        long params = 0;
        long bytes = 0;
        Map<String, long[]> dtypes = new TreeMap<>();
        for (String n : c.names()) {
            TensorInfo t = c.info(n);
            params += t.numel();
            bytes += t.byteSize();
            long[] d = dtypes.computeIfAbsent(t.dtype().name(), k -> new long[3]);
            d[0]++;
            d[1] += t.numel();
            d[2] += t.byteSize();
        }
        root.put("tensors", c.names().size());
        root.put("parameters", params);
        root.put("bytes", bytes);
        ObjectNode dt = root.putObject("dtypes");
        dtypes.forEach((k, v) -> {
            ObjectNode o = dt.putObject(k);
            o.put("tensors", v[0]);
            o.put("parameters", v[1]);
            o.put("bytes", v[2]);
        });
        ArrayNode groups = root.putArray("groups");
        for (Map.Entry<String, List<String>> g : ParameterBlocks.of(c.names()).groups().entrySet()) {
            long p = 0;
            for (String n : g.getValue()) {
                p += c.info(n).numel();
            }
            ObjectNode o = groups.addObject();
            o.put("group", g.getKey());
            o.put("tensors", g.getValue().size());
            o.put("parameters", p);
        }
        ObjectNode shards = root.putObject("shards");
        c.shardMap().forEach((file, names) -> {
            long b = 0;
            for (String n : names) {
                b += c.info(n).byteSize();
            }
            ObjectNode o = shards.putObject(file);
            o.put("tensors", names.size());
            o.put("bytes", b);
        });
        ObjectNode meta = root.putObject("metadata");
        c.metadata().forEach(meta::put);
        if (c.config() == null) {
            root.putNull("config");
        } else {
            ObjectNode cfg = root.putObject("config");
            for (String k : List.of("model_type", "architectures", "torch_dtype", "hidden_size", "num_hidden_layers")) {
                JsonNode v = c.config().get(k);
                if (v != null) {
                    cfg.set(k, v);
                }
            }
        }
        ArrayNode aux = root.putArray("aux_files");
        for (Path p : c.auxFiles()) {
            aux.add(p.getFileName().toString());
        }
        ArrayNode heads = root.putArray("head_files");
        c.headFiles().keySet().forEach(heads::add);
        return root;
    }
}
