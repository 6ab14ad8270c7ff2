package dev.amalgam.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file: {@code u64 N} little-endian, N bytes of
 * UTF-8 JSON, then the data section. Every offset is checked against the file size before any data
 * is read.
 */
public record SafetensorsHeader(long dataStart, List<Entry> entries, Map<String, String> metadata) {

    /** Largest header accepted (the reference implementation uses the same 100 MB limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** One tensor: its info and its [begin, end) byte range relative to the data section. */
    public record Entry(TensorInfo info, long begin, long end) {
    }

    public static SafetensorsHeader read(FileChannel ch, String file) throws IOException {
        long fileSize = ch.size();
        if (fileSize == 0) {
            throw new AmalgamException(file + ": empty file (not a safetensors file)");
        }
        if (fileSize < 8) {
            throw new AmalgamException(file + ": truncated file (" + fileSize + " bytes, no header length)");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, len, 0);
        long n = len.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new AmalgamException(file + ": header length " + Long.toUnsignedString(n)
                    + " is over the 100 MB limit (not a safetensors file?)");
        }
        if (8 + n > fileSize) {
            throw new AmalgamException(file + ": header length " + n + " exceeds file size " + fileSize
                    + " (truncated file?)");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(ch, json, 8);
        return parse(json.array(), 8 + n, fileSize, file);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos + dst.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Validates the JSON header of a file whose data section spans [dataStart, fileSize). */
    public static SafetensorsHeader parse(byte[] json, long dataStart, long fileSize, String file) {
        JsonNode root = Json.parse(Json.utf8(json, file + ": header"), file + ": header");
        if (!root.isObject()) {
            throw new AmalgamException(file + ": header is not a JSON object");
        }
        long dataSize = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                readMetadata(f.getValue(), metadata, file);
            } else {
                entries.add(entry(f.getKey(), f.getValue(), dataSize, file));
            }
        }
        checkOverlaps(entries, file);
        entries.sort(Comparator.comparing(e -> e.info().name()));
        return new SafetensorsHeader(dataStart, Collections.unmodifiableList(entries),
                Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, String file) {
        if (!node.isObject()) {
            throw new AmalgamException(file + ": __metadata__ is not a JSON object");
        }
        node.fields().forEachRemaining(m -> {
            if (!m.getValue().isTextual()) {
                throw new AmalgamException(file + ": __metadata__ value of '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), m.getValue().asText());
        });
    }

    private static Entry entry(String name, JsonNode node, long dataSize, String file) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new AmalgamException(where + " is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new AmalgamException(where + " has no dtype");
        }
        DType dtype = DType.fromSafetensors(dtypeNode.asText(), where);
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new AmalgamException(where + " has no shape array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw new AmalgamException(where + " has a non-integer dimension " + d);
            }
            shape[i] = d.asLong();
            if (shape[i] < 0) {
                throw new AmalgamException(where + " has a negative dimension " + shape[i]);
            }
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber()
                || !off.get(1).isIntegralNumber() || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw new AmalgamException(where + " has no valid data_offsets [begin, end]");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new AmalgamException(where + ": data_offsets [" + begin + ", " + end
                    + "] out of range (data section is " + dataSize + " bytes; truncated file?)");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape);
        long expected;
        try {
            expected = info.byteSize();
        } catch (ArithmeticException e) {
            throw new AmalgamException(where + ": shape too large");
        }
        if (end - begin != expected) {
            throw new AmalgamException(where + ": data_offsets span " + (end - begin) + " bytes but "
                    + dtype + " " + java.util.Arrays.toString(shape) + " needs " + expected);
        }
        return new Entry(info, begin, end);
    }

    private static void checkOverlaps(List<Entry> entries, String file) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry prev = null;
        for (Entry e : byOffset) {
            if (e.begin() == e.end()) {
                continue; // empty tensors occupy no bytes
            }
            if (prev != null && e.begin() < prev.end()) {
                throw new AmalgamException(file + ": tensors '" + prev.info().name() + "' and '"
                        + e.info().name() + "' overlap in the data section");
            }
            prev = e;
        }
    }
}
