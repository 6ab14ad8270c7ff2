package dev.amalgam.io.onnx;

import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imports the real packaged all-MiniLM-L6-v2 and bge-small-en-v1.5 ONNX files (PyTorch exports). */
class OnnxImporterRealModelTest {
    static final Path DIR = Path.of("target", "packaged-encoders");

    /** The HF BertModel state dict (without buffers), written from the architecture definition. */
    static TreeMap<String, long[]> bertModelWeights(int layers, int hidden, int inter, int vocab, int positions,
                                                    int types, boolean pooler) {
        TreeMap<String, long[]> m = new TreeMap<>();
        m.put("embeddings.word_embeddings.weight", new long[] {vocab, hidden});
        m.put("embeddings.position_embeddings.weight", new long[] {positions, hidden});
        m.put("embeddings.token_type_embeddings.weight", new long[] {types, hidden});
        m.put("embeddings.LayerNorm.weight", new long[] {hidden});
        m.put("embeddings.LayerNorm.bias", new long[] {hidden});
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            for (String qkv : new String[] {"query", "key", "value"}) {
                m.put(p + "attention.self." + qkv + ".weight", new long[] {hidden, hidden});
                m.put(p + "attention.self." + qkv + ".bias", new long[] {hidden});
            }
            m.put(p + "attention.output.dense.weight", new long[] {hidden, hidden});
            m.put(p + "attention.output.dense.bias", new long[] {hidden});
            m.put(p + "attention.output.LayerNorm.weight", new long[] {hidden});
            m.put(p + "attention.output.LayerNorm.bias", new long[] {hidden});
            m.put(p + "intermediate.dense.weight", new long[] {inter, hidden});
            m.put(p + "intermediate.dense.bias", new long[] {inter});
            m.put(p + "output.dense.weight", new long[] {hidden, inter});
            m.put(p + "output.dense.bias", new long[] {hidden});
            m.put(p + "output.LayerNorm.weight", new long[] {hidden});
            m.put(p + "output.LayerNorm.bias", new long[] {hidden});
        }
        if (pooler) {
            m.put("pooler.dense.weight", new long[] {hidden, hidden});
            m.put("pooler.dense.bias", new long[] {hidden});
        }
        return m;
    }

    private static void assertBertWeights(OnnxImport imp, TreeMap<String, long[]> expected) {
        TensorSource s = imp.tensors();
        assertEquals(expected.keySet().stream().toList(), s.names(), "names");
        for (var e : expected.entrySet()) {
            TensorInfo info = s.info(e.getKey());
            assertArrayEquals(e.getValue(), info.shape(), e.getKey());
            assertEquals(DType.F32, info.dtype(), e.getKey());
            assertEquals(info.byteSize(), s.bytes(e.getKey()).remaining(), e.getKey());
        }
        assertTrue(imp.unresolved().isEmpty(), "unresolved: " + imp.unresolved());
        assertTrue(s.names().stream().noneMatch(n -> n.startsWith("onnx::")));
    }

    @Test
    void miniLmWeightsComeOutUnderHuggingFaceNames() {
        OnnxImport imp = OnnxImporter.open(PackagedEncoders.extract(PackagedEncoders.MINILM, DIR));
        assertBertWeights(imp, bertModelWeights(6, 384, 1536, 30522, 512, 2, false));
        assertEquals(java.util.List.of("embeddings.position_ids"), imp.skipped());
        var c = imp.config();
        assertNotNull(c);
        assertEquals(384, c.get("hidden_size").asInt());
        assertEquals(6, c.get("num_hidden_layers").asInt());
        assertEquals(12, c.get("num_attention_heads").asInt()); // head_dim 32: hidden/64 would be wrong
        assertEquals(1536, c.get("intermediate_size").asInt());
        assertEquals(30522, c.get("vocab_size").asInt());
        assertEquals(512, c.get("max_position_embeddings").asInt());
        assertEquals(2, c.get("type_vocab_size").asInt());
        assertEquals(1e-12, c.get("layer_norm_eps").asDouble());
        assertEquals("gelu", c.get("hidden_act").asText());
        assertEquals("bert", c.get("model_type").asText());
        assertEquals("BertModel", c.get("architectures").get(0).asText());
        assertTrue(imp.warnings().isEmpty(), "warnings: " + imp.warnings());
        assertNotNull(imp.tokenizer());
    }

    @Test
    void bgeSmallWeightsComeOutUnderHuggingFaceNames() {
        OnnxImport imp = OnnxImporter.open(PackagedEncoders.extract(PackagedEncoders.BGE_SMALL, DIR));
        assertBertWeights(imp, bertModelWeights(12, 384, 1536, 30522, 512, 2, false));
        assertEquals(12, imp.config().get("num_hidden_layers").asInt());
        assertEquals(12, imp.config().get("num_attention_heads").asInt());
        assertEquals(1e-12, imp.config().get("layer_norm_eps").asDouble());
    }

    /**
     * One Linear computed two ways: x·W with the raw ONNX MatMul initializer as stored in the file, and
     * W'·x with the recovered [out, in] weight; the two must agree.
     */
    @Test
    void recoveredWeightIsTheTransposeOfTheMatMulInitializer() {
        Path file = PackagedEncoders.extract(PackagedEncoders.MINILM, DIR);
        OnnxImport imp = OnnxImporter.open(file);
        OnnxTensorSource s = (OnnxTensorSource) imp.tensors();
        for (String name : new String[] {"encoder.layer.0.attention.self.query.weight",
                "encoder.layer.3.intermediate.dense.weight", "encoder.layer.5.output.dense.weight"}) {
            String onnxName = s.onnxName(name);
            assertTrue(onnxName.startsWith("onnx::MatMul_"), onnxName);
            OnnxTensor raw = OnnxModelReader.read(file).initializers.get(onnxName);
            int in = (int) raw.dims()[0];
            int out = (int) raw.dims()[1];
            assertArrayEquals(new long[] {out, in}, s.info(name).shape());
            ByteBuffer w = raw.raw(); // [in, out], little-endian
            ByteBuffer wt = s.bytes(name); // [out, in]
            double[] x = new Random(7).doubles(in, -1, 1).toArray();
            double[] viaOnnx = new double[out];
            double[] viaHf = new double[out];
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    viaOnnx[j] += x[i] * w.getFloat((i * out + j) * 4);
                    viaHf[j] += wt.getFloat((j * in + i) * 4) * x[i];
                }
            }
            assertArrayEquals(viaOnnx, viaHf, 1e-9, name);
            assertTrue(Arrays.stream(viaHf).map(Math::abs).max().getAsDouble() > 1e-3, "non-trivial output");
        }
    }
}
