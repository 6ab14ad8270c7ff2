package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one single-file safetensors checkpoint from NDArrays: {@code __metadata__} with
 * {@code "format":"pt"}, tensors sorted by name with contiguous offsets, header padded with spaces
 * to a multiple of 8. Stand-in until fine-tuning output goes through dev.amalgam.io's ShardedWriter.
 */
final class SafetensorsOut {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsOut() {
    }

    static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode meta = root.putObject("__metadata__");
        new TreeMap<>(metadata).forEach(meta::put);
        meta.put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            NDArray a = e.getValue();
            ObjectNode n = root.putObject(e.getKey());
            n.put("dtype", dtype(a.getDataType(), e.getKey()));
            ArrayNode shape = n.putArray("shape");
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            long bytes = a.size() * a.getDataType().getNumOfBytes();
            n.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(ch, head);
            for (NDArray a : sorted.values()) {
                writeFully(ch, a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String dtype(DataType t, String name) {
        return switch (t) {
            case FLOAT32 -> "F32";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
            default -> throw new IllegalArgumentException("tensor " + name + ": cannot save dtype " + t);
        };
    }
}
