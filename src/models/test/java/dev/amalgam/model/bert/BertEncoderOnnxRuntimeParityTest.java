package dev.amalgam.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.amalgam.io.onnx.OnnxImport;
import dev.amalgam.io.onnx.OnnxImporter;
import dev.amalgam.io.onnx.PackagedEncoders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java BERT encoder on weights imported from the real all-MiniLM-L6-v2 ONNX file must match ONNX
 * Runtime running that same file (an independent implementation of the graph).
 */
class BertEncoderOnnxRuntimeParityTest {
    static final Path DIR = Path.of("target", "packaged-encoders");
    static Path onnx;
    static OnnxImport imported;
    static NDManager manager;
    static BertEncoder encoder;
    static BertTokenizer tokenizer;
    static OrtEnvironment env;
    static OrtSession session;

    static final List<String> SENTENCES = sentences();

    static List<String> sentences() {
        List<String> s = new ArrayList<>(List.of(
                "A man is playing a guitar.",
                "The quick brown fox jumps over the lazy dog.",
                "",
                "Hello!",
                "Merging fine-tuned checkpoints can interfere across tasks; TIES trims and elects signs.",
                "What is the capital of France?",
                "Paris is the capital and most populous city of France.",
                "I can't believe it's not butter!!! 100% real?",
                "Numbers: 3.14159, 2.71828, 1,000,000 and -42.",
                "Café naïve résumé — unicode, accents and em-dashes.",
                "東京は日本の首都です。",
                "e-mail me at someone@example.com or visit https://example.org/path?q=1",
                "The movie was terrible; I walked out after twenty minutes.",
                "An absolutely wonderful, heart-warming film.",
                "def f(x): return x ** 2  # python code",
                "UPPER CASE TEXT SHOULD BE LOWERCASED BY THE TOKENIZER",
                "Short.",
                "The the the the the the the the the the.",
                "Transformers use self-attention to weigh tokens against each other."));
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            longText.append("Sentence number ").append(i).append(" talks about model merging and evaluation. ");
        }
        s.add(longText.toString()); // far beyond 128 tokens: truncated
        s.add("word ".repeat(300));
        s.add("Out-of-distribution robustness of merged models is measured on corrupted inputs. ".repeat(6));
        s.add("A medium length sentence that has a few more tokens than the short ones, but not too many.");
        return s;
    }

    @BeforeAll
    static void setUp() throws Exception {
        onnx = PackagedEncoders.extract(PackagedEncoders.MINILM, DIR);
        imported = OnnxImporter.open(onnx);
        manager = NDManager.newBaseManager();
        encoder = BertEncoder.load(BertConfig.fromJson(imported.config(), "config"), imported.tensors(), manager);
        tokenizer = BertTokenizer.open(imported.tokenizer(), 128);
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void tearDown() throws Exception {
        session.close();
        tokenizer.close();
        encoder.close();
        manager.close();
    }

    private static float[][][] onnxRuntime(long[][] ids, long[][] mask, long[][] types) throws Exception {
        try (var a = ai.onnxruntime.OnnxTensor.createTensor(env, ids);
             var b = ai.onnxruntime.OnnxTensor.createTensor(env, mask);
             var c = ai.onnxruntime.OnnxTensor.createTensor(env, types);
             var r = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            return (float[][][]) r.get(0).getValue();
        }
    }

    /** max |Δ| over tokens with mask 1, and over all positions (padding included). */
    private static double[] compare(List<String> texts) throws Exception {
        try (NDManager m = manager.newSubManager()) {
            BertTokenizer.Batch batch = tokenizer.batch(texts, m);
            long t0 = System.nanoTime();
            NDArray hidden = encoder.forward(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds()).head();
            long t1 = System.nanoTime();
            long[] shape = hidden.getShape().getShape();
            float[] java = hidden.toFloatArray();
            long[][] ids = to2d(batch.inputIds());
            long[][] mask = to2d(batch.attentionMask());
            float[][][] ort = onnxRuntime(ids, mask, to2d(batch.tokenTypeIds()));
            System.out.printf("java forward %.2f s, onnxruntime %.2f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
            assertEquals(ort.length, shape[0]);
            assertEquals(ort[0].length, shape[1]);
            double maxValid = 0;
            double maxAll = 0;
            double maxAbs = 0;
            int h = (int) shape[2];
            for (int i = 0; i < shape[0]; i++) {
                for (int t = 0; t < shape[1]; t++) {
                    for (int k = 0; k < h; k++) {
                        double d = Math.abs(java[(int) ((i * shape[1] + t) * h + k)] - ort[i][t][k]);
                        maxAll = Math.max(maxAll, d);
                        if (mask[i][t] == 1) {
                            maxValid = Math.max(maxValid, d);
                        }
                        maxAbs = Math.max(maxAbs, Math.abs(ort[i][t][k]));
                    }
                }
            }
            return new double[] {maxValid, maxAll, shape[1], maxAbs};
        }
    }

    private static long[][] to2d(NDArray a) {
        long[] flat = a.toLongArray();
        int b = (int) a.getShape().get(0);
        int t = (int) a.getShape().get(1);
        long[][] out = new long[b][t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * t, out[i], 0, t);
        }
        return out;
    }

    @Test
    void lastHiddenStatesMatchOnnxRuntimeOnAPaddedBatchWithTruncation() throws Exception {
        double[] r = compare(SENTENCES);
        System.out.printf("MiniLM parity, %d sentences, T=%d: max|d| valid tokens %.3g, all positions %.3g (max|h| %.2f)%n",
                SENTENCES.size(), (int) r[2], r[0], r[1], r[3]);
        assertEquals(128, (int) r[2], "long inputs are truncated to 128 tokens");
        assertTrue(r[3] > 0.5, "non-trivial activations");
        assertTrue(r[0] <= 1e-4, "max |delta| on valid tokens " + r[0]);
        // padded positions are not part of the output anyone uses; they only have to be close
        assertTrue(r[1] <= 1e-3, "max |delta| over all positions " + r[1]);
    }

    @Test
    void shortBatchesPadOnlyToTheLongestText() throws Exception {
        List<String> shorts = SENTENCES.subList(0, 8);
        double[] r = compare(shorts);
        assertTrue(r[2] < 40, "padded length " + r[2]);
        assertTrue(r[0] <= 1e-4, "max |delta| " + r[0]);
    }

    /** A second, deeper model (12 layers) through the same path: import, encoder, ONNX Runtime. */
    @Test
    void bgeSmallMatchesOnnxRuntimeToo() throws Exception {
        Path bge = PackagedEncoders.extract(PackagedEncoders.BGE_SMALL, DIR);
        OnnxImport imp = OnnxImporter.open(bge);
        List<String> texts = List.of(SENTENCES.get(0), SENTENCES.get(4), SENTENCES.get(9), SENTENCES.get(20));
        try (NDManager m = manager.newSubManager();
             BertEncoder enc = BertEncoder.load(BertConfig.fromJson(imp.config(), "bge"), imp.tensors(), m);
             BertTokenizer tok = BertTokenizer.open(imp.tokenizer(), 64);
             OrtSession s = env.createSession(bge.toString(), new OrtSession.SessionOptions())) {
            BertTokenizer.Batch batch = tok.batch(texts, m);
            float[] java = enc.forward(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds()).head()
                    .toFloatArray();
            long[][] ids = to2d(batch.inputIds());
            long[][] mask = to2d(batch.attentionMask());
            float[][][] ort;
            try (var a = ai.onnxruntime.OnnxTensor.createTensor(env, ids);
                 var b = ai.onnxruntime.OnnxTensor.createTensor(env, mask);
                 var c = ai.onnxruntime.OnnxTensor.createTensor(env, to2d(batch.tokenTypeIds()));
                 var r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
                ort = (float[][][]) r.get(0).getValue();
            }
            double max = 0;
            int t = ids[0].length;
            for (int i = 0; i < ids.length; i++) {
                for (int j = 0; j < t; j++) {
                    for (int k = 0; k < 384 && mask[i][j] == 1; k++) {
                        max = Math.max(max, Math.abs(java[(i * t + j) * 384 + k] - ort[i][j][k]));
                    }
                }
            }
            System.out.printf("bge-small parity, %d sentences, T=%d: max|d| valid tokens %.3g%n", ids.length, t, max);
            assertEquals(64, t);
            assertTrue(max <= 1e-4, "max |delta| " + max);
        }
    }

    @Test
    void writingAParameterInPlaceChangesTheOutput() throws Exception {
        String name = "encoder.layer.2.attention.self.value.weight";
        assertEquals(6 * 16 + 5, encoder.parameterNames().size());
        try (NDManager m = manager.newSubManager()) {
            BertTokenizer.Batch batch = tokenizer.batch(List.of("A man is playing a guitar."), m);
            NDArray before = encoder.forward(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds()).head();
            NDArray original = encoder.parameter(name).duplicate();
            encoder.setParameter(name, original.mul(0f));
            NDArray changed = encoder.forward(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds()).head();
            encoder.setParameter(name, original);
            NDArray restored = encoder.forward(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds()).head();
            assertTrue(before.sub(changed).abs().max().getFloat() > 1e-2, "zeroed weight must change the output");
            assertEquals(0f, before.sub(restored).abs().max().getFloat(), 1e-6f);
        }
    }
}
