package dev.amalgam.model.heads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Caches zero-shot heads on disk as {@code <key>.safetensors}: one F32 tensor "weight" [classes, dim]
 * holding the unit class vectors, the scale in the metadata. The key is a SHA-256 over the encoder
 * weights id, the class names, the templates and the logit scale, so any change rebuilds the head.
 */
public final class HeadCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 1 << 20;

    private final Path dir;

    public HeadCache(Path dir) {
        this.dir = dir;
    }

    public static String key(String encoderWeightsId, List<String> classNames, List<String> templates, double logitScale) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            update(md, "amalgam-zero-shot-head-v1");
            update(md, encoderWeightsId);
            md.update((byte) 1);
            classNames.forEach(c -> update(md, c));
            md.update((byte) 2);
            templates.forEach(t -> update(md, t));
            update(md, Long.toHexString(Double.doubleToLongBits(logitScale)));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length-prefixed, so ["ab","c"] and ["a","bc"] hash differently. */
    private static void update(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }

    public Path fileFor(String key) {
        return dir.resolve(key + ".safetensors");
    }

    /** The cached head for these inputs, or a freshly built one (then stored). */
    public ZeroShotHead getOrBuild(String encoderWeightsId, List<String> classNames, List<String> templates,
                                   double logitScale, TextEmbedder embedder) {
        String key = key(encoderWeightsId, classNames, templates, logitScale);
        return getOrBuild(key, () -> ZeroShotHead.build(embedder, classNames, templates, logitScale));
    }

    public ZeroShotHead getOrBuild(String key, Supplier<ZeroShotHead> builder) {
        Path f = fileFor(key);
        if (Files.isRegularFile(f)) {
            return read(f);
        }
        ZeroShotHead head = builder.get();
        write(f, head);
        return head;
    }

    static void write(Path file, ZeroShotHead head) {
        float[][] w = head.classWeights();
        int rows = w.length;
        int cols = w[0].length;
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put("format", "amalgam-zero-shot-head");
        meta.put("scale", Float.toString(head.scale()));
        ObjectNode t = header.putObject("weight");
        t.put("dtype", "F32");
        t.putArray("shape").add(rows).add(cols);
        t.putArray("data_offsets").add(0).add(4L * rows * cols);
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + pad + 4 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (float[] row : w) {
            for (float v : row) {
                buf.putFloat(v);
            }
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, buf.array());
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot write head cache (" + e.getMessage() + ")", e);
        }
    }

    static ZeroShotHead read(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            if (all.length < 8) {
                throw new AmalgamException(file + ": truncated head cache");
            }
            ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            long n = bb.getLong();
            if (n <= 0 || n > MAX_HEADER || 8 + n > all.length) {
                throw new AmalgamException(file + ": bad safetensors header length " + n);
            }
            JsonNode header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
            JsonNode t = header.get("weight");
            if (t == null || !"F32".equals(t.path("dtype").asText()) || t.path("shape").size() != 2) {
                throw new AmalgamException(file + ": tensor 'weight' missing or not F32 2-D");
            }
            int rows = t.get("shape").get(0).asInt();
            int cols = t.get("shape").get(1).asInt();
            long begin = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            if (rows <= 0 || cols <= 0 || begin != 0 || end != 4L * rows * cols || 8 + n + end != all.length) {
                throw new AmalgamException(file + ": tensor 'weight' offsets do not match its shape");
            }
            float scale = Float.parseFloat(header.path("__metadata__").path("scale").asText("NaN"));
            bb.position((int) (8 + n));
            float[][] w = new float[rows][cols];
            for (float[] row : w) {
                for (int j = 0; j < cols; j++) {
                    row[j] = bb.getFloat();
                }
            }
            return new ZeroShotHead(w, scale);
        } catch (IOException | NumberFormatException e) {
            throw new AmalgamException(file + ": cannot read head cache (" + e.getMessage() + ")", e);
        }
    }
}
