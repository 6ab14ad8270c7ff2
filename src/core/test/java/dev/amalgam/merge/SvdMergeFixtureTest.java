package dev.amalgam.merge;

import dev.amalgam.io.InMemoryTensorSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.merge.job.MergeMethods;

/**
 * CART, TSV-M, Iso-C and Iso-CTS against svd_merge_fixtures.json, written by
 * src/python/svd_merge_fixtures.py: the spec formulas re-implemented in PyTorch (float64),
 * 3 tasks, HF CLIP names, shapes [12,8], [8,12], [6,8], [6], [12], [8] and a q/k/v triple [8,8]×3.
 */
class SvdMergeFixtureTest {
    static final double TOL = 1e-4;

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }

    static JsonNode fixture() throws Exception {
        try (InputStream in = SvdMergeFixtureTest.class.getResourceAsStream("svd_merge_fixtures.json")) {
            assertNotNull(in, "fixture on the classpath");
            return new ObjectMapper().readTree(in);
        }
    }

    static Map<String, InMemoryMergeDriver.Values> tensors(JsonNode doc) {
        Map<String, InMemoryMergeDriver.Values> tensors = new LinkedHashMap<>();
        for (JsonNode t : doc.get("tensors")) {
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            List<float[]> tvs = new ArrayList<>();
            t.get("task_vectors").forEach(v -> tvs.add(floats(v)));
            tensors.put(t.get("name").asText(), new InMemoryMergeDriver.Values(shape, floats(t.get("base")), tvs));
        }
        return tensors;
    }

    static void assertMatches(JsonNode expected, Map<String, float[]> got, String what) {
        var it = expected.fields();
        while (it.hasNext()) {
            var e = it.next();
            float[] want = floats(e.getValue());
            float[] have = got.get(e.getKey());
            assertNotNull(have, e.getKey());
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - have[i]));
            }
            assertTrue(worst <= TOL, what + " " + e.getKey() + ": max |diff| " + worst);
        }
    }

    @Test
    void allMethodsMatchTheTorchReference() throws Exception {
        JsonNode doc = fixture();
        Map<String, InMemoryMergeDriver.Values> tensors = tensors(doc);
        int cases = 0;
        for (JsonNode c : doc.get("cases")) {
            Map<String, Object> params = new LinkedHashMap<>();
            c.get("params").fields().forEachRemaining(e -> params.put(e.getKey(),
                    e.getValue().isNumber() ? e.getValue().asDouble() : e.getValue().isBoolean() ? e.getValue().asBoolean() : e.getValue().asText()));
            MergeMethod m = MergeMethods.create(new MethodParams(c.get("method").asText(), params));
            Map<String, float[]> got = InMemoryMergeDriver.merge(m, tensors);
            assertEquals(tensors.keySet().size(), got.size());
            assertMatches(c.get("expected"), got, m.describe());
            cases++;
        }
        assertEquals(12, cases);
    }

    @Test
    void stackedCartThroughTheStreamingExecutor() throws Exception {
        JsonNode doc = fixture();
        Map<String, InMemoryMergeDriver.Values> tensors = tensors(doc);
        int tasks = doc.get("tasks").asInt();
        InMemoryTensorSource base = new InMemoryTensorSource("base");
        List<InMemoryTensorSource> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            models.add(new InMemoryTensorSource("task" + t));
            names.add("task" + t);
        }
        tensors.forEach((n, x) -> {
            base.f32(n, x.shape(), x.base());
            for (int t = 0; t < tasks; t++) {
                float[] theta = x.base().clone();
                for (int i = 0; i < theta.length; i++) {
                    theta[i] += x.taskVectors().get(t)[i];
                }
                models.get(t).f32(n, x.shape(), theta);
            }
        });
        InMemorySink sink = new InMemorySink();
        Cart cart = Cart.fromParams(MethodParams.of("cart"));
        new StreamingExecutor(ai.djl.Device.cpu(), n -> n, true, StreamingExecutor.Progress.NONE)
                .run(cart, new MergeInputs(base, List.copyOf(models), names), sink);
        JsonNode first = doc.get("cases").get(0);
        assertEquals("cart", first.get("method").asText());
        assertEquals(0, first.get("params").size(), "the default-parameter case (stacked q/k/v)");
        assertMatches(first.get("expected"), sink.merged(), "executor " + cart.describe());
    }
}
