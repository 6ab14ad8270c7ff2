package dev.amalgam.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal safetensors writer and parser written independently of the production code, to build
 * well-formed and deliberately malformed files and to check what the production writer emits.
 */
public final class RawSafetensors {
    private RawSafetensors() {
    }

    /** File bytes: u64 little-endian header length, the header bytes as given, then data. */
    public static byte[] bytes(byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        return b.array();
    }

    public static byte[] bytes(String headerJson, byte[] data) {
        return bytes(headerJson.getBytes(StandardCharsets.UTF_8), data);
    }

    public static Path write(Path file, String headerJson, byte[] data) {
        return write(file, bytes(headerJson, data));
    }

    public static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What an independent parse of a safetensors file finds. */
    public record Parsed(long headerLength, String headerText, JsonNode header, long dataStart, byte[] file) {
        /** The raw bytes of one tensor, by its data_offsets. */
        public byte[] tensorBytes(String name) {
            JsonNode off = header.get(name).get("data_offsets");
            int b = (int) (dataStart + off.get(0).asLong());
            int e = (int) (dataStart + off.get(1).asLong());
            byte[] out = new byte[e - b];
            System.arraycopy(file, b, out, 0, out.length);
            return out;
        }
    }

    public static Parsed parse(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            String text = new String(all, 8, (int) n, StandardCharsets.UTF_8);
            return new Parsed(n, text, new ObjectMapper().readTree(text), 8 + n, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
