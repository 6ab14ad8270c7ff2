package dev.amalgam.eval.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.registry.ModelRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Perplexity against python3-torch logits (fixtures) and a per-token re-derivation of HF's sliding window. */
class PerplexityTest {
    static NDManager manager;
    static CausalLanguageModel gpt2;
    static CausalLanguageModel llama;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        gpt2 = ModelRegistry.loadCausalLm(Fixtures.dir("gpt2", "tiny"), manager);
        llama = ModelRegistry.loadCausalLm(Fixtures.dir("llama", "llama"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void singleWindowMatchesPythonLogits() {
        for (String[] c : new String[][] {{"gpt2", "tiny"}, {"llama", "llama"}}) {
            Map<String, NDArray> exp = Fixtures.expected(Fixtures.dir(c[0], c[1]), manager);
            CausalLanguageModel model = c[0].equals("gpt2") ? gpt2 : llama;
            long[] ids = Fixtures.longs(exp.get("input_ids").get(0));
            float[] logits = exp.get("logits").get(0).toFloatArray(); // python3-torch reference
            int v = model.vocabSize();
            double[] nll = Perplexity.tokenNll(model, ids, ids.length, ids.length);
            assertEquals(ids.length - 1, nll.length);
            for (int t = 1; t < ids.length; t++) {
                double[] row = new double[v];
                for (int i = 0; i < v; i++) {
                    row[i] = logits[(t - 1) * v + i];
                }
                assertEquals(-LmReference.logSoftmax(row)[(int) ids[t]], nll[t - 1], 1e-4, c[0] + " token " + t);
            }
            // the continuation's tokens: minus the python continuation log-likelihood
            long[] prompt = Fixtures.longs(exp.get("prompt_ids"));
            long[] cont = Fixtures.longs(exp.get("continuation_ids"));
            long[] all = java.util.Arrays.copyOf(prompt, prompt.length + cont.length);
            System.arraycopy(cont, 0, all, prompt.length, cont.length);
            double[] nll2 = Perplexity.tokenNll(model, all, all.length, 1);
            double sum = 0;
            for (int j = 0; j < cont.length; j++) {
                sum += nll2[prompt.length - 1 + j];
            }
            assertEquals(-exp.get("continuation_loglik").getFloat(0), sum, 1e-4, c[0] + " continuation");
        }
    }

    @Test
    @Tag("slow") // many sliding-window forwards
    void slidingWindowGivesEachTokenTheContextOfTheFirstWindowThatReachesIt() {
        long[] ids = new Random(3).longs(30, 0, 300).toArray();
        int[][] windowStride = {{16, 8}, {12, 12}, {12, 5}};
        for (int[] ws : windowStride) {
            int w = ws[0];
            int s = ws[1];
            double[] nll = Perplexity.tokenNll(gpt2, ids, w, s);
            double sum = 0;
            int count = 0;
            for (int t = 1; t < ids.length; t++) {
                int k = 0;
                while (k * s + w <= t) {
                    k++;
                }
                int begin = k * s;
                if (begin == t) {
                    assertTrue(Double.isNaN(nll[t - 1]), "token " + t + " starts a chunk: not predicted");
                    continue;
                }
                double want = -LmReference.logProb(gpt2, ids, begin, t);
                assertEquals(want, nll[t - 1], 1e-4, "w=" + w + " s=" + s + " token " + t);
                sum += want;
                count++;
            }
            TokenNll total = Perplexity.evaluate(gpt2, LmReference.ids(text -> ids), List.of("x"), w, s);
            assertEquals(count, total.count());
            assertEquals(sum / count, total.meanNll(), 1e-5);
            assertEquals(Math.exp(sum / count), total.perplexity(), 1e-4 * total.perplexity());
        }
        // disjoint chunks of 12 over 30 tokens: tokens 12 and 24 have no prediction
        assertEquals(27, Perplexity.evaluate(gpt2, LmReference.ids(text -> ids), List.of("x"), 12, 12).count());
    }

    @Test
    @Tag("slow") // many sliding-window forwards
    void slidingWindowMatchesThePythonGuideLoop() {
        // src/scripts/make_lm_eval_fixtures.py: the guide's loop in python3-torch, loss summed, tokens counted
        Map<String, NDArray> exp = Fixtures.readSafetensors(
                Fixtures.dir("lm-eval", "gpt2-perplexity.safetensors"), manager).arrays();
        long[] ids = Fixtures.longs(exp.get("ids"));
        for (int[] ws : new int[][] {{16, 8}, {12, 12}, {12, 5}, {32, 32}, {32, 1}}) {
            String key = "w" + ws[0] + "_s" + ws[1];
            TokenNll r = Perplexity.evaluate(gpt2, LmReference.ids(text -> ids), List.of("x"), ws[0], ws[1]);
            assertEquals(exp.get(key + ".count").getLong(0), r.count(), key);
            double want = exp.get(key + ".nll_sum").getFloat(0);
            assertEquals(want, r.sum(), 1e-4 * Math.abs(want), key);
            assertEquals(want / r.count(), r.meanNll(), 1e-4, key);
        }
    }

    @Test
    void textsAreScoredIndependentlyAndShortTextsCountNothing() {
        long[] a = {5, 6, 7, 8};
        long[] b = {9};
        TokenNll both = Perplexity.evaluate(gpt2, LmReference.ids(text -> text.equals("a") ? a : b), List.of("a", "b"), 8, 4);
        assertEquals(3, both.count());
        double want = 0;
        for (int t = 1; t < a.length; t++) {
            want -= LmReference.logProb(gpt2, a, 0, t);
        }
        assertEquals(want, both.sum(), 1e-4);
        assertTrue(Double.isNaN(TokenNll.ZERO.meanNll()));
    }

    @Test
    void windowBeyondLearnedPositionsOrBadStrideIsAnError() {
        long[] ids = {1, 2, 3};
        assertThrows(AmalgamException.class, () -> Perplexity.tokenNll(gpt2, ids, 33, 8));
        assertThrows(AmalgamException.class, () -> Perplexity.tokenNll(gpt2, ids, 8, 9));
        assertThrows(AmalgamException.class, () -> Perplexity.tokenNll(gpt2, ids, 1, 1));
    }
}
