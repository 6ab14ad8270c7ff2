package dev.amalgam.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Safetensors shards listed by a {@code model.safetensors.index.json}. Each shard is opened (and
 * mapped) once. The index and the shards must agree exactly: a tensor named by the index but absent
 * from its shard, and a tensor in a shard that the index does not list, are both errors — a stale
 * index would otherwise make a merge silently drop or ignore weights.
 */
public final class ShardedCheckpoint implements TensorSource {
    private final Path indexFile;
    private final Map<String, SafetensorsFile> shardByTensor = new TreeMap<>();
    private final Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    private final Map<String, String> indexMetadata = new LinkedHashMap<>();
    private final List<String> names;

    private ShardedCheckpoint(Path indexFile) {
        this.indexFile = indexFile;
        JsonNode root = Json.readFile(indexFile);
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new AmalgamException(indexFile + ": no weight_map object");
        }
        JsonNode meta = root.get("metadata");
        if (meta != null && meta.isObject()) {
            meta.fields().forEachRemaining(e -> indexMetadata.put(e.getKey(), e.getValue().asText()));
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        try {
            Map<String, String> wanted = new TreeMap<>();
            map.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new AmalgamException(indexFile + ": weight_map entry '" + e.getKey() + "' is not a file name");
                }
                wanted.put(e.getKey(), e.getValue().asText());
            });
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                SafetensorsFile shard = shard(dir, e.getValue());
                if (!shard.contains(e.getKey())) {
                    throw new AmalgamException(indexFile + ": tensor '" + e.getKey() + "' is listed in shard "
                            + e.getValue() + " but that shard does not contain it");
                }
                shardByTensor.put(e.getKey(), shard);
            }
            for (SafetensorsFile shard : shards.values()) {
                for (String n : shard.names()) {
                    if (shardByTensor.get(n) != shard) {
                        throw new AmalgamException(shard.path() + ": tensor '" + n + "' is not listed for this shard in "
                                + indexFile.getFileName() + " (stale or inconsistent index)");
                    }
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.names = Collections.unmodifiableList(new ArrayList<>(shardByTensor.keySet()));
    }

    public static ShardedCheckpoint open(Path indexFile) {
        return new ShardedCheckpoint(indexFile);
    }

    private SafetensorsFile shard(Path dir, String fileName) {
        SafetensorsFile s = shards.get(fileName);
        if (s != null) {
            return s;
        }
        Path p = null;
        if (!fileName.isEmpty() && !fileName.contains("/") && !fileName.contains("\\") && !fileName.equals("..")
                && !fileName.equals(".")) {
            try {
                p = dir.resolve(fileName);
            } catch (InvalidPathException e) {
                // e.g. a NUL character: not a file name either
            }
        }
        if (p == null) {
            throw new AmalgamException(indexFile + ": shard name '" + fileName + "' is not a plain file name");
        }
        if (!Files.isRegularFile(p)) {
            throw new AmalgamException(indexFile + ": shard file " + fileName + " is missing");
        }
        s = SafetensorsFile.open(p);
        shards.put(fileName, s);
        return s;
    }

    /** Shard file name → tensor names (sorted), in index order of first appearance. */
    public Map<String, List<String>> shardMap() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        shards.forEach((file, s) -> m.put(file, s.names()));
        return m;
    }

    /** The index's {@code metadata} (e.g. total_size), as strings. */
    public Map<String, String> indexMetadata() {
        return Collections.unmodifiableMap(indexMetadata);
    }

    /** {@code __metadata__} of the first shard. */
    public Map<String, String> metadata() {
        return shards.isEmpty() ? Map.of() : shards.values().iterator().next().metadata();
    }

    public List<Path> shardFiles() {
        List<Path> l = new ArrayList<>();
        shards.values().forEach(s -> l.add(s.path()));
        return l;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return shardByTensor.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shardFor(name).info(name);
    }

    @Override
    public ByteBuffer bytes(String name) {
        return shardFor(name).bytes(name);
    }

    @Override
    public <R> R withBytes(String name, java.util.function.Function<ByteBuffer, R> reader) {
        return shardFor(name).withBytes(name, reader);
    }

    @Override
    public void readInto(String name, ByteBuffer dst) {
        shardFor(name).readInto(name, dst);
    }

    private SafetensorsFile shardFor(String name) {
        SafetensorsFile s = shardByTensor.get(name);
        if (s == null) {
            throw new AmalgamException(indexFile + ": no tensor '" + name + "'");
        }
        return s;
    }

    @Override
    public String describe() {
        return indexFile.toString();
    }

    @Override
    public void close() {
        shards.values().forEach(SafetensorsFile::close);
    }
}
