package dev.amalgam.io.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.amalgam.io.onnx.OnnxProtoWriter.Msg;
import static dev.amalgam.io.onnx.OnnxProtoWriter.node;
import static dev.amalgam.io.onnx.OnnxProtoWriter.rawFloats;
import static dev.amalgam.io.onnx.OnnxProtoWriter.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Config inference on a tiny hand-built BERT graph (hidden 8, 2 layers, intermediate 16, vocab 10):
 * the head count comes from whichever evidence the graph has, epsilon from either LayerNorm form.
 */
class BertConfigInferenceTest {
    @TempDir
    Path dir;

    enum Heads { RESHAPE, DIV, NONE }

    private static float[] zeros(int n) {
        return new float[n];
    }

    private static Msg floatInit(String name, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        return tensor(name, 1, dims).bytes(9, rawFloats(zeros(n)));
    }

    private static Msg scalar(String out, float v) {
        return node("Constant", List.of(), List.of(out),
                new Msg().str(1, "value").msg(5, tensor("", 1).bytes(9, rawFloats(v))).varint(20, 4));
    }

    private Path tinyBert(Heads heads, boolean fusedLayerNorm) throws IOException {
        List<Msg> nodes = new java.util.ArrayList<>();
        List<Msg> inits = new java.util.ArrayList<>();
        inits.add(floatInit("embeddings.word_embeddings.weight", 10, 8));
        inits.add(floatInit("embeddings.position_embeddings.weight", 6, 8));
        inits.add(floatInit("embeddings.token_type_embeddings.weight", 2, 8));
        inits.add(floatInit("embeddings.LayerNorm.weight", 8));
        inits.add(floatInit("embeddings.LayerNorm.bias", 8));
        int[] counter = {0};
        for (int l = 0; l < 2; l++) {
            String p = "encoder.layer." + l + ".";
            for (String lin : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "intermediate.dense", "output.dense"}) {
                long in = lin.equals("output.dense") ? 16 : 8;
                long out = lin.equals("intermediate.dense") ? 16 : 8;
                String w = "onnx::MatMul_" + (100 + counter[0]++);
                String mm = "/" + p + lin + "/MatMul";
                inits.add(floatInit(w, in, out));
                inits.add(floatInit(p + lin + ".bias", out));
                nodes.add(node("MatMul", List.of("h", w), List.of(mm)));
                nodes.add(node("Add", List.of(p + lin + ".bias", mm), List.of(mm + "/Add")));
            }
            for (String ln : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
                inits.add(floatInit(p + ln + ".weight", 8));
                inits.add(floatInit(p + ln + ".bias", 8));
            }
            String s = "/" + p + "self/";
            if (heads == Heads.RESHAPE) {
                inits.add(tensor(s + "shape", 7, 4).packedVarints(7, 0, 0, 4, 2));
                nodes.add(node("Reshape", List.of("q", s + "shape"), List.of(s + "r")));
            }
            nodes.add(node("MatMul", List.of(s + "q", s + "kT"), List.of(s + "scores")));
            if (heads == Heads.DIV) {
                nodes.add(scalar(s + "sqrt", (float) Math.sqrt(2)));
                nodes.add(node("Div", List.of(s + "scores", s + "sqrt"), List.of(s + "scaled")));
            }
            String n = "/" + p + "ln/";
            if (fusedLayerNorm) {
                nodes.add(node("LayerNormalization", List.of(n + "x", p + "output.LayerNorm.weight"),
                        List.of(n + "y"), new Msg().str(1, "epsilon").fixed32(2, Float.floatToIntBits(1e-7f))
                                .varint(20, 1)));
            } else {
                nodes.add(node("ReduceMean", List.of(n + "sq"), List.of(n + "var")));
                nodes.add(scalar(n + "eps", 1e-7f));
                nodes.add(node("Add", List.of(n + "var", n + "eps"), List.of(n + "ve")));
                nodes.add(node("Sqrt", List.of(n + "ve"), List.of(n + "std")));
            }
        }
        nodes.add(node("Erf", List.of("a"), List.of("b")));
        Path p = dir.resolve("tiny.onnx");
        Files.write(p, OnnxProtoWriter.model(nodes, inits));
        return p;
    }

    @Test
    void headsFromReshapeShapeAndEpsFromDecomposedLayerNorm() throws IOException {
        OnnxImport imp = OnnxImporter.open(tinyBert(Heads.RESHAPE, false));
        var c = imp.config();
        assertEquals(8, c.get("hidden_size").asInt());
        assertEquals(2, c.get("num_hidden_layers").asInt());
        assertEquals(4, c.get("num_attention_heads").asInt());
        assertEquals(16, c.get("intermediate_size").asInt());
        assertEquals(10, c.get("vocab_size").asInt());
        assertEquals(6, c.get("max_position_embeddings").asInt());
        assertEquals(1e-7, c.get("layer_norm_eps").asDouble());
        assertEquals(List.of(), imp.unresolved());
        assertEquals(List.of(16L, 8L), List.of(imp.tensors().info("encoder.layer.1.intermediate.dense.weight").shape()[0],
                imp.tensors().info("encoder.layer.1.intermediate.dense.weight").shape()[1]));
        assertTrue(imp.warnings().isEmpty(), imp.warnings().toString());
    }

    @Test
    void headsFromScoreScaleAndEpsFromLayerNormalization() throws IOException {
        OnnxImport imp = OnnxImporter.open(tinyBert(Heads.DIV, true));
        assertEquals(4, imp.config().get("num_attention_heads").asInt()); // head_dim 2 = sqrt(2)^2
        assertEquals(1e-7, imp.config().get("layer_norm_eps").asDouble());
        assertTrue(imp.warnings().isEmpty(), imp.warnings().toString());
    }

    @Test
    void noHeadEvidenceFallsBackWithAWarning() throws IOException {
        OnnxImport imp = OnnxImporter.open(tinyBert(Heads.NONE, true));
        assertEquals(1, imp.config().get("num_attention_heads").asInt()); // max(1, 8 / 64)
        assertTrue(imp.warnings().stream().anyMatch(w -> w.contains("head count")), imp.warnings().toString());
    }
}
