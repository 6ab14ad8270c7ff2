package dev.amalgam.merge.mergekit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.io.Json;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MergeKit's tokenizer merge (tokenizer/build.py and embed.py at a6e4028), worked by hand on three tiny
 * models: the base has t0…t9; m1 adds the special token {@code <x>}; m2 has an extra vocabulary entry
 * {@code u}. The union appends u then {@code <x>}; a token only one model has takes that model's row in
 * every model; base tokens keep their rows.
 */
class MergeKitTokenizerTest {
    static final int H = 4;
    @TempDir
    static Path tmp;
    static float[][] embed = new float[3][];
    static float[][] head = new float[3][];

    @BeforeAll
    static void models() {
        String[] names = {"base", "m1", "m2"};
        for (int m = 0; m < 3; m++) {
            int rows = m == 0 ? 10 : 11;
            embed[m] = TinyCheckpoints.randomFloats(10 + m, rows * H, 1f);
            head[m] = TinyCheckpoints.randomFloats(20 + m, rows * H, 1f);
            StringBuilder v = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                v.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(i);
            }
            if (m == 2) {
                v.append(",\"u\":10");
            }
            String added = m == 1 ? "[{\"id\":10,\"content\":\"<x>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
                    + "\"normalized\":false,\"special\":true}]" : "[]";
            TinyCheckpoints.builder()
                    .config("{\"model_type\":\"llama\",\"architectures\":[\"LlamaForCausalLM\"],\"vocab_size\":" + rows + "}")
                    .file("tokenizer.json", "{\"model\":{\"type\":\"BPE\",\"vocab\":{" + v + "},\"merges\":[]},\"added_tokens\":" + added + "}")
                    .file("tokenizer_config.json", "{\"added_tokens_decoder\":{}}")
                    .f32("model.embed_tokens.weight", new long[]{rows, H}, embed[m])
                    .f32("lm_head.weight", new long[]{rows, H}, head[m])
                    .f32("model.norm.weight", new long[]{H}, 1, 1, 1, 1)
                    .writeTo(tmp.resolve(names[m]));
        }
    }

    static float[] row(float[] m, int r) {
        float[] x = new float[H];
        System.arraycopy(m, r * H, x, 0, H);
        return x;
    }

    /** Model m's permuted matrix for the union vocabulary t0..t9, u, <x>. */
    static float[][] permuted(float[][] all, int m) {
        float[][] p = new float[12][];
        for (int r = 0; r < 10; r++) {
            p[r] = row(all[m], r);
        }
        p[10] = row(all[2], 10);   // u: only m2 has it
        p[11] = row(all[1], 10);   // <x>: only m1 has it
        return p;
    }

    static String recipe(String tokenizer) {
        return "merge_method: task_arithmetic\nbase_model: " + tmp.resolve("base") + "\nmodels:\n  - model: " + tmp.resolve("m1")
                + "\n  - model: " + tmp.resolve("m2") + "\nparameters: {weight: 1.0}\n" + tokenizer;
    }

    @Test
    void unionAppendsNewTokensAndTakesMissingRowsFromTheirOnlyOwner() throws IOException {
        Path out = tmp.resolve("union");
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("u.yml"), recipe("tokenizer_source: union\n"), out);
        for (float[][] all : new float[][][]{embed, head}) {
            String name = all == embed ? "model.embed_tokens.weight" : "lm_head.weight";
            float[][] b = permuted(all, 0);
            float[][] a1 = permuted(all, 1);
            float[][] a2 = permuted(all, 2);
            float[] g = got.get(name);
            assertEquals(12 * H, g.length, name);
            for (int r = 0; r < 12; r++) {
                for (int j = 0; j < H; j++) {
                    double want = b[r][j] + (a1[r][j] - b[r][j]) + (a2[r][j] - b[r][j]);
                    assertEquals(want, g[r * H + j], 1e-5, name + " row " + r);
                }
            }
        }
        JsonNode tok = Json.readFile(out.resolve("tokenizer.json"));
        JsonNode added = tok.get("added_tokens");
        assertEquals(2, added.size(), added.toString());
        assertEquals("u", added.get(0).get("content").asText());
        assertEquals(10, added.get(0).get("id").asInt());
        assertTrue(added.get(0).get("normalized").asBoolean() && !added.get(0).get("special").asBoolean());
        assertEquals("<x>", added.get(1).get("content").asText());
        assertEquals(11, added.get(1).get("id").asInt());
        assertTrue(added.get(1).get("special").asBoolean(), "m1's settings for <x> are kept");
        assertEquals(12, Json.readFile(out.resolve("config.json")).get("vocab_size").asInt());
        assertTrue(Json.readFile(out.resolve("tokenizer_config.json")).get("added_tokens_decoder").has("11"));
    }

    @Test
    void tokenizerBlockSetsSourcesForcesAndPads() throws IOException {
        Path out = tmp.resolve("block");
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("b.yml"), recipe("""
                tokenizer:
                  source: union
                  tokens:
                    "<x>": {source: {kind: zero}, force: true}
                    t3: {source: {kind: model_token, model: m2, token_id: 0}, force: true}
                  pad_to_multiple_of: 8
                """.replace("model: m2", "model: " + tmp.resolve("m2"))), out);
        float[] g = got.get("model.embed_tokens.weight");
        assertEquals(16 * H, g.length);
        float[][][] per = new float[3][][];
        for (int m = 0; m < 3; m++) {
            per[m] = permuted(embed, m);
            per[m][11] = new float[H];               // forced zero for every model
            per[m][3] = row(embed[2], 0);            // forced: m2's row 0
        }
        for (int r = 0; r < 16; r++) {
            for (int j = 0; j < H; j++) {
                double[] v = new double[3];
                for (int m = 0; m < 3; m++) {
                    if (r < 12) {
                        v[m] = per[m][r][j];
                    } else {
                        double s = 0;
                        for (int q = 0; q < 12; q++) {
                            s += per[m][q][j];
                        }
                        v[m] = s / 12;             // padding rows: the mean of the real rows
                    }
                }
                assertEquals(v[0] + (v[1] - v[0]) + (v[2] - v[0]), g[r * H + j], 1e-5, "row " + r);
            }
        }
        assertEquals(16, Json.readFile(out.resolve("config.json")).get("vocab_size").asInt());
    }

    @Test
    void tokenizerSourceBaseMapsEveryModelIntoTheBaseVocabulary() throws IOException {
        Path out = tmp.resolve("base-vocab");
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("bb.yml"), recipe("tokenizer_source: base\n"), out);
        float[] g = got.get("lm_head.weight");
        assertEquals(10 * H, g.length);
        for (int r = 0; r < 10; r++) {
            for (int j = 0; j < H; j++) {
                double b = head[0][r * H + j];
                assertEquals(b + (head[1][r * H + j] - b) + (head[2][r * H + j] - b), g[r * H + j], 1e-5);
            }
        }
        assertEquals(0, Json.readFile(out.resolve("tokenizer.json")).get("added_tokens").size(), "the base's vocabulary");
        assertEquals(10, Json.readFile(out.resolve("config.json")).get("vocab_size").asInt());
    }
}
