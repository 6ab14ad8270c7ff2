package dev.amalgam.io.onnx;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.amalgam.io.onnx.OnnxProtoWriter.Msg;
import static dev.amalgam.io.onnx.OnnxProtoWriter.list;
import static dev.amalgam.io.onnx.OnnxProtoWriter.model;
import static dev.amalgam.io.onnx.OnnxProtoWriter.node;
import static dev.amalgam.io.onnx.OnnxProtoWriter.rawFloats;
import static dev.amalgam.io.onnx.OnnxProtoWriter.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny hand-built ModelProto files: every place a tensor's data can live, name recovery, bad input. */
class OnnxImporterSyntheticTest {
    @TempDir
    Path dir;

    private static float[] floats(ByteBuffer b) {
        float[] f = new float[b.remaining() / 4];
        for (int i = 0; i < f.length; i++) {
            f[i] = b.getFloat(i * 4);
        }
        return f;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private List<Msg> nodes() {
        return list(
                node("MatMul", List.of("x", "onnx::MatMul_1"), List.of("/mm1")),
                node("Add", List.of("lin.bias", "/mm1"), List.of("/a1")),          // bias first
                node("MatMul", List.of("/a1", "onnx::MatMul_2"), List.of("/mm2")),
                node("Add", List.of("/mm2", "lin2.bias"), List.of("/a2")),         // bias second
                node("MatMul", List.of("/a2", "onnx::MatMul_9"), List.of("y")),    // no bias: unresolvable
                node("Constant", List.of(), List.of("/c"),
                        new Msg().str(1, "value").msg(5, tensor("", 1).bytes(9, rawFloats(2f))).varint(20, 4)));
    }

    private Path writeModel(Map<String, String> extEntries) throws IOException {
        ByteBuffer ext = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        ext.putLong(-1L).putFloat(10).putFloat(20).putFloat(30).putFloat(40);
        write("weights.bin", ext.array());
        Msg mm2 = tensor("onnx::MatMul_2", 1, 2, 4);
        for (float v : new float[] {1, 2, 3, 4, 5, 6, 7, 8}) {
            mm2.fixed32(4, Float.floatToIntBits(v)); // unpacked float_data
        }
        List<Msg> inits = list(
                tensor("onnx::MatMul_1", 1, 3, 2).bytes(9, rawFloats(1, 2, 3, 4, 5, 6)),
                tensor("lin.bias", 1, 2).packedFloats(4, 0.5f, -0.5f),
                mm2,
                tensor("lin2.bias", 1, 4).bytes(9, rawFloats(0, 0, 0, 0)),
                tensor("onnx::MatMul_9", 1, 2, 2).bytes(9, rawFloats(9, 9, 9, 9)),
                tensor("ids", 7, 3).packedVarints(7, 1, 2, 3),
                tensor("half.weight", 10, 2).packedVarints(5, 0x3C00, 0xC000),
                tensor("bf.weight", 16, 2).packedVarints(5, 0x3F80, 0x4040),
                tensor("dbl.weight", 11, 2).packedDoubles(10, 1.5, -2.25),
                OnnxProtoWriter.external(tensor("ext.weight", 1, 2, 2), extEntries));
        return write("m.onnx", model(nodes(), inits));
    }

    @Test
    void readsEveryDataPlacementAndRecoversLinearNames() throws IOException {
        OnnxImport imp = OnnxImporter.open(writeModel(Map.of("location", "weights.bin", "offset", "8", "length", "16")));
        var s = imp.tensors();
        assertEquals(List.of("bf.weight", "dbl.weight", "ext.weight", "half.weight", "lin.bias", "lin.weight",
                "lin2.bias", "lin2.weight", "onnx::MatMul_9"), s.names());
        // [in=3, out=2] = [[1,2],[3,4],[5,6]] comes out as [out, in] = [[1,3,5],[2,4,6]]
        assertArrayEquals(new long[] {2, 3}, s.info("lin.weight").shape());
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, floats(s.bytes("lin.weight")));
        assertArrayEquals(new long[] {4, 2}, s.info("lin2.weight").shape());
        assertArrayEquals(new float[] {1, 5, 2, 6, 3, 7, 4, 8}, floats(s.bytes("lin2.weight")));
        assertArrayEquals(new float[] {0.5f, -0.5f}, floats(s.bytes("lin.bias")));
        assertArrayEquals(new float[] {10, 20, 30, 40}, floats(s.bytes("ext.weight")));
        assertEquals(DType.F16, s.info("half.weight").dtype());
        ByteBuffer h = s.bytes("half.weight");
        assertEquals(1.0f, OnnxTensorData.halfToFloat(h.getShort(0)));
        assertEquals(-2.0f, OnnxTensorData.halfToFloat(h.getShort(2)));
        assertEquals(DType.BF16, s.info("bf.weight").dtype());
        ByteBuffer bf = s.bytes("bf.weight");
        assertEquals(3.0f, Float.intBitsToFloat((bf.getShort(2) & 0xFFFF) << 16));
        ByteBuffer d = s.bytes("dbl.weight");
        assertEquals(DType.F64, s.info("dbl.weight").dtype());
        assertEquals(-2.25, d.getDouble(8));
        assertEquals(ByteOrder.LITTLE_ENDIAN, d.order());
        assertTrue(d.isReadOnly());
        assertEquals(List.of("onnx::MatMul_9"), imp.unresolved());
        assertTrue(imp.warnings().stream().anyMatch(w -> w.contains("onnx::MatMul_9")));
        assertEquals(List.of("ids"), imp.skipped());
        assertNull(imp.config()); // not a BERT
    }

    @Test
    void externalDataOutsideTheFileIsRejected() throws IOException {
        Path m = writeModel(Map.of("location", "weights.bin", "offset", "16", "length", "16"));
        var e = assertThrows(AmalgamException.class, () -> OnnxImporter.open(m).tensors().bytes("ext.weight"));
        assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("ext.weight"), e.getMessage());
    }

    @Test
    void externalDataOfTheWrongLengthIsRejected() throws IOException {
        Path m = writeModel(Map.of("location", "weights.bin", "offset", "0", "length", "12"));
        var e = assertThrows(AmalgamException.class, () -> OnnxImporter.open(m).tensors().bytes("ext.weight"));
        assertTrue(e.getMessage().contains("ext.weight"), e.getMessage());
    }

    @Test
    void externalLocationEscapingTheDirectoryIsRejected() throws IOException {
        Path m = writeModel(Map.of("location", "../weights.bin", "offset", "8", "length", "16"));
        var e = assertThrows(AmalgamException.class, () -> OnnxImporter.open(m).tensors().bytes("ext.weight"));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void rawDataOfTheWrongSizeIsRejected() throws IOException {
        Path m = write("bad.onnx", model(list(), list(tensor("w.weight", 1, 2, 2).bytes(9, rawFloats(1, 2, 3)))));
        var e = assertThrows(AmalgamException.class, () -> OnnxImporter.open(m).tensors().bytes("w.weight"));
        assertTrue(e.getMessage().contains("w.weight") && e.getMessage().contains("bad.onnx"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAModelProtoIsRejectedNamingIt() throws IOException {
        Path text = write("notes.onnx", "this is not a protobuf model\n".repeat(20).getBytes());
        var e = assertThrows(AmalgamException.class, () -> OnnxImporter.open(text));
        assertTrue(e.getMessage().contains("notes.onnx"), e.getMessage());
        Path empty = write("empty.onnx", new byte[0]);
        assertTrue(assertThrows(AmalgamException.class, () -> OnnxImporter.open(empty)).getMessage().contains("empty.onnx"));
        Path real = PackagedEncoders.extract(PackagedEncoders.MINILM, OnnxImporterRealModelTest.DIR);
        byte[] head = new byte[100_000];
        try (var in = Files.newInputStream(real)) {
            in.readNBytes(head, 0, head.length);
        }
        Path truncated = write("truncated.onnx", head);
        var t = assertThrows(AmalgamException.class, () -> OnnxImporter.open(truncated));
        assertTrue(t.getMessage().contains("truncated.onnx"), t.getMessage());
    }

    @Test
    void sparseInitializersAreCheckedOnOpenAndDensifiedWhenRead() throws IOException {
        Msg perAxis = new Msg().msg(1, tensor("sp.weight", 1, 2).bytes(9, rawFloats(5, 6)))
                .msg(2, tensor("", 7, 2, 2).packedVarints(7, 0, 1, 1, 2)).packedVarints(3, 2, 3);
        Msg linear = new Msg().msg(1, tensor("sp2.weight", 1, 1).bytes(9, rawFloats(9)))
                .msg(2, tensor("", 7, 1).packedVarints(7, 4)).packedVarints(3, 5);
        Msg graph = new Msg().str(2, "sparse").msg(15, perAxis).msg(15, linear);
        Path m = write("sparse.onnx", new Msg().varint(1, 8).msg(7, graph).bytes());
        var s = OnnxImporter.open(m).tensors();
        assertArrayEquals(new long[] {2, 3}, s.info("sp.weight").shape());
        assertArrayEquals(new float[] {0, 5, 0, 0, 0, 6}, floats(s.bytes("sp.weight")));
        assertArrayEquals(new float[] {0, 0, 0, 0, 9}, floats(s.bytes("sp2.weight")));

        // A dense size far beyond the file is only allocated if the tensor is read; an index out of range
        // is an error on open.
        Msg huge = new Msg().msg(1, tensor("big.weight", 1, 0).bytes(9, new byte[0]))
                .msg(2, tensor("", 7, 0).bytes(9, new byte[0])).packedVarints(3, 500_000_000L);
        assertEquals(List.of("big.weight"), OnnxImporter.open(write("huge.onnx",
                new Msg().varint(1, 8).msg(7, new Msg().msg(15, huge)).bytes())).tensors().names());
        Msg bad = new Msg().msg(1, tensor("bad.weight", 1, 1).bytes(9, rawFloats(1)))
                .msg(2, tensor("", 7, 1).packedVarints(7, 3)).packedVarints(3, 3);
        var e = assertThrows(AmalgamException.class, () -> OnnxImporter.open(write("bad-sparse.onnx",
                new Msg().varint(1, 8).msg(7, new Msg().msg(15, bad)).bytes())));
        assertTrue(e.getMessage().contains("bad.weight") && e.getMessage().contains("out of range"), e.getMessage());
    }
}
