package dev.amalgam.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes the header of a safetensors file: {@code __metadata__} first (always with
 * {@code "format":"pt"}), then tensors sorted by name with contiguous 64-bit data offsets in that
 * order; the JSON is padded with spaces so the data section starts at a multiple of 8.
 */
public final class SafetensorsHeaderWriter {
    private SafetensorsHeaderWriter() {
    }

    /** The full prefix of the file: 8-byte little-endian length + padded JSON. */
    public static byte[] encode(List<TensorInfo> tensors, Map<String, String> metadata) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(TensorInfo::name));
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode meta = root.putObject("__metadata__");
        Map<String, String> m = new TreeMap<>(metadata);
        m.put("format", "pt");
        m.forEach(meta::put);
        long offset = 0;
        for (TensorInfo t : sorted) {
            if (t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("tensor name __metadata__ is reserved");
            }
            ObjectNode n = root.putObject(t.name());
            n.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            ArrayNode off = n.putArray("data_offsets");
            off.add(offset);
            offset += t.byteSize();
            off.add(offset);
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    /** Total data bytes of a file holding these tensors. */
    public static long dataSize(List<TensorInfo> tensors) {
        long s = 0;
        for (TensorInfo t : tensors) {
            s = Math.addExact(s, t.byteSize());
        }
        return s;
    }
}
