package dev.amalgam.cli;

import dev.amalgam.testutil.CliRunner;
import dev.amalgam.testutil.RawSafetensors;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every malformed input gives exit code 2 and one line naming the file (and tensor), for both
 * {@code inspect} and {@code convert}, and {@code convert} leaves no output or temporary directory.
 */
class BadInputCliTest {
    @TempDir
    Path tmp;

    /** A bad input: how to create it in a fresh directory, and what the message must mention. */
    record Case(String name, Function<Path, Path> make, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String OK_TENSOR = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    private static Path file(Path dir, String header, int dataBytes) {
        return RawSafetensors.write(dir.resolve("bad.safetensors"), header, new byte[dataBytes]);
    }

    private static Path raw(Path dir, byte[] content) {
        return RawSafetensors.write(dir.resolve("bad.safetensors"), content);
    }

    private static Path text(Path file, String s) {
        return TinyCheckpoints.writeString(file, s);
    }

    private static Path shardedDir(Path dir, String index, String shard1Header, int shard1Data) {
        RawSafetensors.write(dir.resolve("model-00001-of-00002.safetensors"), shard1Header, new byte[shard1Data]);
        RawSafetensors.write(dir.resolve("model-00002-of-00002.safetensors"),
                "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        text(dir.resolve("model.safetensors.index.json"), index);
        return dir;
    }

    static Stream<Case> cases() {
        String fileName = "bad.safetensors";
        return Stream.of(
                new Case("empty file", d -> raw(d, new byte[0]), List.of(fileName, "empty")),
                new Case("truncated before header length", d -> raw(d, new byte[5]), List.of(fileName, "truncated")),
                new Case("header length beyond file size", d -> {
                    byte[] b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
                    return raw(d, b);
                }, List.of(fileName, "exceeds file size")),
                new Case("header length over 100 MB", d -> {
                    byte[] b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array();
                    return raw(d, b);
                }, List.of(fileName, "100 MB")),
                new Case("invalid JSON", d -> file(d, "{\"w\": {\"dtype\": ", 0), List.of(fileName, "not valid JSON")),
                new Case("non-UTF-8 header", d -> raw(d, RawSafetensors.bytes(
                        new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}, new byte[0])),
                        List.of(fileName, "UTF-8")),
                new Case("header not an object", d -> file(d, "[1,2]", 0), List.of(fileName, "not a JSON object")),
                new Case("unknown dtype", d -> file(d, "{\"w\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
                        List.of(fileName, "'w'", "F8")),
                new Case("data offsets beyond data (truncated data)", d -> file(d, OK_TENSOR, 4),
                        List.of(fileName, "'w'", "out of range")),
                new Case("overlapping tensors", d -> file(d,
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                        List.of(fileName, "'a'", "'b'", "overlap")),
                new Case("byte span differs from shape x dtype", d -> file(d,
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                        List.of(fileName, "'w'", "needs 12")),
                new Case("negative dimension", d -> file(d,
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,0]}}", 0),
                        List.of(fileName, "'w'", "negative")),
                new Case("duplicate tensor key", d -> file(d,
                        "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                                + "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2),
                        List.of(fileName, "Duplicate field 'w'")),
                new Case("metadata value not a string", d -> file(d,
                        "{\"__metadata__\":{\"format\":1}," + OK_TENSOR.substring(1), 8),
                        List.of(fileName, "__metadata__")),
                new Case("index names a missing shard", d -> {
                    text(d.resolve("model.safetensors.index.json"),
                            "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\"}}");
                    return d;
                }, List.of("model.safetensors.index.json", "model-00001-of-00002.safetensors", "missing")),
                new Case("tensor absent from its shard", d -> shardedDir(d,
                        "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\","
                                + "\"c\":\"model-00001-of-00002.safetensors\"}}",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                        List.of("model.safetensors.index.json", "'c'", "does not contain")),
                new Case("shard tensor not in index", d -> shardedDir(d,
                        "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"extra\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                        List.of("model-00001-of-00002.safetensors", "'extra'", "not listed")),
                new Case("shard name with a path", d -> {
                    text(d.resolve("model.safetensors.index.json"), "{\"weight_map\":{\"a\":\"../x.safetensors\"}}");
                    return d;
                }, List.of("model.safetensors.index.json", "../x.safetensors")),
                new Case("index is invalid JSON", d -> {
                    text(d.resolve("model.safetensors.index.json"), "{\"weight_map\":");
                    return d;
                }, List.of("model.safetensors.index.json", "not valid JSON")),
                new Case("pickle file", d -> text(d.resolve("pytorch_model.bin"), "not really a pickle"),
                        List.of("pytorch_model.bin", "pickle")),
                new Case("directory with only a pickle", d -> {
                    text(d.resolve("config.json"), "{}");
                    text(d.resolve("model.pt"), "x");
                    return d;
                }, List.of("model.pt", "pickle")),
                new Case("malformed onnx file (dispatched to the ONNX importer)", d -> text(d.resolve("model.onnx"), "x"),
                        List.of("model.onnx", "ONNX")),
                new Case("directory without weights", d -> {
                    text(d.resolve("config.json"), "{}");
                    return d;
                }, List.of("no weights found")),
                new Case("several safetensors without index", d -> {
                    RawSafetensors.write(d.resolve("a.safetensors"), OK_TENSOR, new byte[8]);
                    RawSafetensors.write(d.resolve("b.safetensors"), OK_TENSOR, new byte[8]);
                    return d;
                }, List.of("no model.safetensors.index.json")),
                new Case("invalid config.json", d -> {
                    RawSafetensors.write(d.resolve("model.safetensors"), OK_TENSOR, new byte[8]);
                    text(d.resolve("config.json"), "{\"a\":1,\"a\":2}");
                    return d;
                }, List.of("config.json", "Duplicate field")),
                new Case("no such path", d -> d.resolve("nope.safetensors"), List.of("nope.safetensors", "no such")),
                new Case("unrecognized extension", d -> text(d.resolve("weights.npz"), "x"),
                        List.of("weights.npz", "unrecognized")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsTwoWithOneLineAndLeavesNothing(Case c) throws IOException {
        Path caseDir = Files.createDirectories(tmp.resolve("case"));
        Path input = c.make().apply(caseDir);
        CliRunner.Result r = CliRunner.run("inspect", input.toString());
        assertOneLineError(r, c, input);

        Path outParent = Files.createDirectories(tmp.resolve("outparent"));
        r = CliRunner.run("convert", input.toString(), outParent.resolve("out").toString());
        assertOneLineError(r, c, input);
        try (Stream<Path> s = Files.list(outParent)) {
            assertEquals(List.of(), s.toList(), "convert left output or temporary files behind");
        }
    }

    private static void assertOneLineError(CliRunner.Result r, Case c, Path input) {
        assertEquals(2, r.exitCode(), c.name() + ": " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), c.name() + ": more than one line: " + err);
        assertTrue(err.startsWith("amalgam: error: "), err);
        assertFalse(err.contains("Exception"), err);
        for (String m : c.mentions()) {
            assertTrue(err.contains(m), c.name() + ": message lacks '" + m + "': " + err);
        }
        assertTrue(err.contains(input.getParent().toString()), c.name() + ": message does not name the path: " + err);
    }

    @Test
    void convertRefusesNonEmptyOutputAndInputAsOutput() throws IOException {
        Path in = TinyCheckpoints.builder().f32("w", new long[] {2}, 1, 2).writeTo(tmp.resolve("in"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        text(out.resolve("keep.txt"), "x");
        CliRunner.Result r = CliRunner.run("convert", in.toString(), out.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not empty") && r.err().contains(out.toString()), r.err());
        assertEquals(List.of(out.resolve("keep.txt")), Files.list(out).toList());

        r = CliRunner.run("convert", in.toString(), in.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("overwrite input"), r.err());
        r = CliRunner.run("convert", in.resolve("model.safetensors").toString(), in.resolve("model.safetensors").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("overwrite input"), r.err());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("in", "out"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void convertRejectsBadOptionsInOneLine() {
        Path in = TinyCheckpoints.builder().f32("w", new long[] {2}, 1, 2).writeTo(tmp.resolve("in"));
        for (String[] opts : new String[][] {{"--max-shard-size", "5XB"}, {"--max-shard-size", "-1"},
                {"--dtype", "int4"}}) {
            CliRunner.Result r = CliRunner.run("convert", in.toString(), tmp.resolve("o").toString(), opts[0], opts[1]);
            assertEquals(2, r.exitCode(), String.join(" ", opts));
            assertTrue(r.err().contains(opts[1]), r.err());
            assertFalse(Files.exists(tmp.resolve("o")));
        }
    }

}
