package dev.amalgam.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.Assertions2.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Global TIES and EMR against a fixture computed with PyTorch by src/python/ties_emr_fixture.py
 * (flattened whole-model kthvalue threshold, majority-sign fallback, per-tensor-mean rescalers).
 * The fixture's task vectors are multiples of 1/64, so exact ties and zero sums occur.
 */
class TiesEmrFixtureTest {

    private static JsonNode fixture() throws IOException {
        try (InputStream in = TiesEmrFixtureTest.class.getResourceAsStream("/merge/ties_emr_fixture.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode arr) {
        float[] f = new float[arr.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) arr.get(i).asDouble();
        }
        return f;
    }

    private static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asDouble();
        }
        return d;
    }

    private static List<Tensor> tensors(JsonNode fx) {
        List<Tensor> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = fx.get("shapes").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            long[] shape = new long[e.getValue().size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().get(i).asLong();
            }
            List<float[]> tvs = new ArrayList<>();
            for (JsonNode tv : fx.get("task_vectors")) {
                tvs.add(floats(tv.get(e.getKey())));
            }
            out.add(new Tensor(e.getKey(), shape, floats(fx.get("base").get(e.getKey())), tvs));
        }
        return out;
    }

    @Test
    void globalTiesMatchesTorch() throws IOException {
        JsonNode fx = fixture();
        List<Tensor> data = tensors(fx);
        for (JsonNode c : fx.get("ties")) {
            Ties ties = Ties.fromParams(MethodParams.of("ties", "k", c.get("k").asDouble(), "merge", c.get("merge").asText(),
                    "lambda", c.get("lambda").asDouble()));
            Map<String, float[]> got = InMemoryMergeDriver.merge(ties, data);
            for (Tensor x : data) {
                close(doubles(c.get("merged").get(x.name())), got.get(x.name()), 1e-6, ties.describe() + " " + x.name());
            }
        }
    }

    @Test
    void emrMatchesTorch() throws IOException {
        JsonNode fx = fixture();
        List<Tensor> data = tensors(fx);
        Emr emr = Emr.fromParams(MethodParams.of("emr"));
        Map<String, InMemoryMergeDriver.TaskModels> got = InMemoryMergeDriver.taskModels(emr, data);
        double[] scales = doubles(fx.get("emr").get("scales"));
        for (int t = 0; t < scales.length; t++) {
            assertEquals(scales[t], emr.taskScales()[t], 1e-5 * scales[t], "λ_" + t);
            for (Tensor x : data) {
                close(doubles(fx.get("emr").get("models").get(t).get(x.name())), got.get(x.name()).models()[t], 1e-5,
                        "θ_" + t + " " + x.name());
            }
        }
    }
}
