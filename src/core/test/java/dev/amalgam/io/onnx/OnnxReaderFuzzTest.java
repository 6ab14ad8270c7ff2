package dev.amalgam.io.onnx;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.testutil.FuzzChecks;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.amalgam.io.onnx.OnnxProtoWriter.Msg;
import static dev.amalgam.io.onnx.OnnxProtoWriter.list;
import static dev.amalgam.io.onnx.OnnxProtoWriter.model;
import static dev.amalgam.io.onnx.OnnxProtoWriter.node;
import static dev.amalgam.io.onnx.OnnxProtoWriter.rawFloats;
import static dev.amalgam.io.onnx.OnnxProtoWriter.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the ONNX reader: arbitrary bytes as {@code model.onnx}, next to a 64-byte
 * {@code weights.bin} that external-data tensors may point into, opened as a checkpoint
 * ({@link OnnxCheckpoints#open}: {@link OnnxModelReader}, sparse densifying, Linear name recovery,
 * BERT config inference) with every tensor then read. Criteria in {@link FuzzChecks}; besides, every
 * tensor must read back its byte size and every data file must be under the model's directory.
 * Stored inputs: {@code OnnxReaderFuzzTestInputs/}. How to fuzz: docs/fuzzing.md.
 */
class OnnxReaderFuzzTest {
    static final int EXTERNAL_BYTES = 64;
    static final long MAX_READ = 64L << 20;

    @TempDir
    static Path root;

    static Stream<byte[]> seeds() {
        return Stream.of(linearAndDataKinds(), tinyBert(), sparse(),
                model(list(), list(tensor("w", 1, 2).bytes(9, rawFloats(1, 2)))));
    }

    /** Renamed Linear weights, data in raw_data, typed fields (packed and not), external file, Constant node. */
    private static byte[] linearAndDataKinds() {
        Msg typed = tensor("onnx::MatMul_2", 1, 2, 2);
        for (float v : new float[] {1, 2, 3, 4}) {
            typed.fixed32(4, Float.floatToIntBits(v));
        }
        return model(
                list(node("MatMul", List.of("x", "onnx::MatMul_1"), List.of("/mm1")),
                        node("Add", List.of("lin.bias", "/mm1"), List.of("/a1")),
                        node("MatMul", List.of("/a1", "onnx::MatMul_2"), List.of("/mm2")),
                        node("Add", List.of("/mm2", "lin2.bias"), List.of("y")),
                        node("Gemm", List.of("y", "g.w", "g.bias"), List.of("z"), new Msg().str(1, "transB").varint(3, 1)
                                .varint(20, 2)),
                        node("Constant", List.of(), List.of("/c"),
                                new Msg().str(1, "value").msg(5, tensor("", 1, 2).bytes(9, rawFloats(2f, 3f)))
                                        .varint(20, 4))),
                list(tensor("onnx::MatMul_1", 1, 3, 2).bytes(9, rawFloats(1, 2, 3, 4, 5, 6)),
                        tensor("lin.bias", 1, 2).packedFloats(4, 0.5f, -0.5f),
                        typed,
                        tensor("lin2.bias", 1, 2).bytes(9, rawFloats(0, 0)),
                        tensor("g.w", 1, 1, 2).bytes(9, rawFloats(7, 8)),
                        tensor("g.bias", 1, 1).bytes(9, rawFloats(1)),
                        tensor("ids", 7, 3).packedVarints(7, 1, 2, 3),
                        tensor("half.weight", 10, 2).packedVarints(5, 0x3C00, 0xC000),
                        tensor("dbl.weight", 11, 1).packedDoubles(10, 1.5),
                        OnnxProtoWriter.external(tensor("ext.weight", 1, 2, 2),
                                Map.of("location", "weights.bin", "offset", "8", "length", "16"))));
    }

    /** A one-layer BERT (hidden 4): config inference from Reshape, Div scale, LayerNorm forms, Erf. */
    private static byte[] tinyBert() {
        List<Msg> inits = new ArrayList<>();
        inits.add(tensor("embeddings.word_embeddings.weight", 1, 3, 4).bytes(9, rawFloats(new float[12])));
        inits.add(tensor("embeddings.position_embeddings.weight", 1, 2, 4).bytes(9, rawFloats(new float[8])));
        inits.add(tensor("onnx::MatMul_7", 1, 4, 4).bytes(9, rawFloats(new float[16])));
        inits.add(tensor("encoder.layer.0.attention.self.query.bias", 1, 4).bytes(9, rawFloats(new float[4])));
        inits.add(tensor("/shape", 7, 4).packedVarints(7, 0, 0, 2, 2));
        List<Msg> nodes = list(
                node("MatMul", List.of("h", "onnx::MatMul_7"), List.of("/q")),
                node("Add", List.of("/q", "encoder.layer.0.attention.self.query.bias"), List.of("/qb")),
                node("Reshape", List.of("/qb", "/shape"), List.of("/r")),
                node("MatMul", List.of("/r", "/k"), List.of("/scores")),
                node("Constant", List.of(), List.of("/sqrt"),
                        new Msg().str(1, "value").msg(5, tensor("", 1).bytes(9, rawFloats(1.4142135f))).varint(20, 4)),
                node("Div", List.of("/scores", "/sqrt"), List.of("/scaled")),
                node("LayerNormalization", List.of("/x", "w"), List.of("/y"),
                        new Msg().str(1, "epsilon").fixed32(2, Float.floatToIntBits(1e-12f)).varint(20, 1)),
                node("ReduceMean", List.of("/sq"), List.of("/var")),
                node("Add", List.of("/var", "/sqrt"), List.of("/ve")),
                node("Sqrt", List.of("/ve"), List.of("/std")),
                node("Erf", List.of("a"), List.of("b")));
        return model(nodes, inits);
    }

    /** A sparse initializer (graph field 15): values [2], per-axis int64 indices [2, 2], dense [2, 3]. */
    private static byte[] sparse() {
        Msg values = tensor("sp.weight", 1, 2).bytes(9, rawFloats(5, 6));
        Msg indices = tensor("", 7, 2, 2).packedVarints(7, 0, 1, 1, 2);
        Msg sparse = new Msg().msg(1, values).msg(2, indices).packedVarints(3, 2, 3);
        Msg linearIdx = new Msg().msg(1, tensor("sp2.weight", 1, 1).bytes(9, rawFloats(9)))
                .msg(2, tensor("", 7, 1).packedVarints(7, 4)).packedVarints(3, 5);
        Msg g = new Msg().str(2, "sparse").msg(15, sparse).msg(15, linearIdx);
        return new Msg().varint(1, 8).msg(7, g).msg(8, new Msg().str(1, "").varint(2, 17)).bytes();
    }

    @MethodSource("seeds")
    @DictionaryEntries({"location", "offset", "length", "weights.bin", "MatMul", "Add", "Gemm", "Constant", "value",
            "transB", "transA", "Reshape", "Div", "Mul", "LayerNormalization", "epsilon", "ReduceMean", "Sqrt", "Erf",
            "Concat", "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
            "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.intermediate.dense.weight", ".bias",
            "onnx::", "../"})
    @FuzzTest
    @Timeout(FuzzChecks.TIMEOUT_SECONDS)
    void readOnnx(byte[] data) throws Exception {
        Path dir = FuzzChecks.freshDir(root);
        try {
            ByteBuffer ext = ByteBuffer.allocate(EXTERNAL_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < EXTERNAL_BYTES / 4; i++) {
                ext.putFloat(i);
            }
            FuzzChecks.write(dir.resolve("weights.bin"), ext.array());
            Path file = FuzzChecks.write(dir.resolve("model.onnx"), data);
            long inputBytes = data.length + EXTERNAL_BYTES;
            Checkpoint[] opened = new Checkpoint[1];
            FuzzChecks.userErrorsOnly(inputBytes, () -> opened[0] = OnnxCheckpoints.open(file));
            if (opened[0] == null) {
                return;
            }
            try (Checkpoint c = opened[0]) {
                for (Path p : c.weightFiles()) {
                    assertTrue(p.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize()),
                            "data file outside the model directory: " + p);
                }
                for (String n : c.names()) {
                    long size = c.info(n).byteSize();
                    // Reading a tensor may allocate its declared size, which a sparse initializer's need not
                    // be backed by the file; only tensors up to MAX_READ are read.
                    if (size <= MAX_READ) {
                        FuzzChecks.userErrorsOnly(inputBytes, 2 * size,
                                () -> assertEquals(size, c.bytes(n).remaining(), n));
                    }
                }
            }
        } finally {
            FuzzChecks.delete(dir);
        }
    }
}
