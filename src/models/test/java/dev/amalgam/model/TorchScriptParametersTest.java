package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A traced Linear(4,3)+LayerNorm(3) from torch 1.13 (src/scripts/make_model_fixtures.py). Writing the
 * python-drawn new weights in place must give python's output for those weights; restore() the original.
 */
class TorchScriptParametersTest {

    @Test
    void inPlaceWritesReachTheModule() {
        Path dir = Fixtures.dir("torchscript", "tiny");
        try (NDManager m = NDManager.newBaseManager();
             TorchScriptParameters ts = TorchScriptParameters.load(dir.resolve("tiny.pt"))) {
            Map<String, NDArray> e = Fixtures.expected(dir, m);
            assertEquals(List.of("fc.weight", "fc.bias", "norm.weight", "norm.bias"), ts.parameterNames());
            NDList x = new NDList(e.get("input"));
            Fixtures.assertClose("torchscript before", ts.forward(x).head(), e.get("output_before"), 1e-5);
            ts.snapshot();
            for (String name : ts.parameterNames()) {
                ts.setParameter(name, e.get("new." + name));
            }
            Fixtures.assertClose("torchscript after in-place write", ts.forward(x).head(), e.get("output_after"), 1e-5);
            ts.restore();
            Fixtures.assertClose("torchscript restored", ts.forward(x).head(), e.get("output_before"), 1e-5);
        }
    }
}
