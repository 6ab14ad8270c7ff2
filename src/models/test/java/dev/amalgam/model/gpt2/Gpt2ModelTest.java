package dev.amalgam.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.CausalLm;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.HfConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** GPT-2 against the python3-torch reference (src/scripts/make_model_fixtures.py, modeling_gpt2 semantics). */
class Gpt2ModelTest {
    static NDManager manager;
    static Gpt2Model model;
    static Map<String, NDArray> exp;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        Path dir = Fixtures.dir("gpt2", "tiny");
        model = Gpt2Model.load(HfConfig.read(dir.resolve("config.json")), Fixtures.weights(dir, manager), manager);
        exp = Fixtures.expected(dir, manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void logitsAndHiddenStatesMatchReference() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = exp.get("input_ids").duplicate();
            ids.attach(m);
            Fixtures.assertClose("gpt2 last_hidden_state", model.hiddenStates(model.ownWeights(), ids, null),
                    exp.get("last_hidden_state"), Fixtures.TOL);
            Fixtures.assertClose("gpt2 logits", model.logits(model.ownWeights(), ids, null), exp.get("logits"), Fixtures.TOL);
        }
    }

    @Test
    void blockForwardMatchesReference() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = exp.get("input_ids").duplicate();
            ids.attach(m);
            NDArray out = model.forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(ids), false).head();
            Fixtures.assertClose("gpt2 block forward logits", out, exp.get("logits"), Fixtures.TOL);
        }
    }

    @Test
    void logLikelihoodMatchesReference() {
        double ll = CausalLm.logLikelihood(model, Fixtures.longs(exp.get("prompt_ids")),
                Fixtures.longs(exp.get("continuation_ids")));
        double want = exp.get("continuation_loglik").getFloat(0);
        System.out.printf("PARITY %-40s max|d| = %.3e%n", "gpt2 continuation loglik", Math.abs(ll - want));
        assertEquals(want, ll, Fixtures.TOL);
    }

    @Test
    void greedyWithAndWithoutCacheMatchesReference() {
        long[] prompt = Fixtures.longs(exp.get("prompt_ids"));
        long[] want = Fixtures.longs(exp.get("greedy_ids"));
        assertArrayEquals(want, CausalLm.greedy(model, prompt, want.length, -1, false));
        assertArrayEquals(want, CausalLm.greedy(model, prompt, want.length, -1, true));
    }

    @Test
    void cachedLogitsEqualUncachedRecomputation() {
        long[] prompt = Fixtures.longs(exp.get("prompt_ids"));
        try (NDManager m = manager.newSubManager(); var cache = model.newCache()) {
            NDArray full = model.logits(model.ownWeights(), m.create(prompt).reshape(1, prompt.length), null);
            NDArray head = model.logits(model.ownWeights(), m.create(java.util.Arrays.copyOf(prompt, 2)).reshape(1, 2), cache);
            NDArray tail = model.logits(model.ownWeights(),
                    m.create(java.util.Arrays.copyOfRange(prompt, 2, prompt.length)).reshape(1, prompt.length - 2), cache);
            NDArray stitched = head.concat(tail, 1);
            Fixtures.assertClose("gpt2 cached vs uncached logits", stitched, full, 1e-5);
        }
    }
}
