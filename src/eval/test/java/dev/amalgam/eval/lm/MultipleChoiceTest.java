package dev.amalgam.eval.lm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.Tokenizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Multiple choice and exact match on the tiny GPT-2 fixture, against token-by-token log-softmax in doubles. */
class MultipleChoiceTest {
    static NDManager manager;
    static CausalLanguageModel gpt2;
    static HuggingFaceTokenizer hf;
    static LmTokenizer tok;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        gpt2 = ModelRegistry.loadCausalLm(Fixtures.dir("gpt2", "tiny"), manager);
        hf = Tokenizers.causalLm(Fixtures.dir("gpt2", "tiny"));
        tok = LmTokenizer.of(hf);
    }

    @AfterAll
    static void close() {
        hf.close();
        manager.close();
    }

    /** Independent: split by encoding context and context+choice separately, then sum per-token log-probs. */
    static double reference(String context, String choice) {
        long[] ctx = tok.encode(context);
        long[] whole = tok.encode(context + choice);
        assertArrayEquals(ctx, Arrays.copyOf(whole, ctx.length), "context tokens are a prefix here");
        return LmReference.continuation(gpt2, ctx, Arrays.copyOfRange(whole, ctx.length, whole.length));
    }

    @Test
    void accAndAccNormFollowLogLikelihoodsAndCharacterLengths() {
        String context = "hello world";
        List<String> choices = List.of(" the", " hello world hello", " w");
        double[] ll = new double[3];
        double[] norm = new double[3];
        ContinuationScorer scorer = new ContinuationScorer(gpt2, tok);
        for (int c = 0; c < 3; c++) {
            ll[c] = reference(context, choices.get(c));
            norm[c] = ll[c] / choices.get(c).length();
            assertEquals(ll[c], scorer.logLikelihood(context, choices.get(c)), 1e-4, choices.get(c));
        }
        int best = 0;
        int bestNorm = 0;
        for (int c = 1; c < 3; c++) {
            best = ll[c] > ll[best] ? c : best;
            bestNorm = norm[c] > norm[bestNorm] ? c : bestNorm;
        }
        System.out.printf("MC ll=%s norm=%s%n", Arrays.toString(ll), Arrays.toString(norm));
        for (int label = 0; label < 3; label++) {
            MultipleChoice.Result r = MultipleChoice.evaluate(scorer,
                    List.of(new MultipleChoice.Item(context, choices, label)));
            assertEquals(label == best ? 1.0 : 0.0, r.acc(), "label " + label);
            assertEquals(label == bestNorm ? 1.0 : 0.0, r.accNorm(), "label " + label);
        }
        MultipleChoice.Result two = MultipleChoice.evaluate(scorer, List.of(
                new MultipleChoice.Item(context, choices, best), new MultipleChoice.Item(context, choices, (best + 1) % 3)));
        assertEquals(0.5, two.acc());
        assertEquals(2, two.count());
    }

    @Test
    void trailingContextSpaceMovesToTheChoice() {
        ContinuationScorer scorer = new ContinuationScorer(gpt2, tok);
        assertEquals(reference("hello world", " the"), scorer.logLikelihood("hello world ", "the"), 1e-4);
    }

    @Test
    void emptyChoiceScoresZeroAndTiesGoToTheFirstChoice() {
        ContinuationScorer scorer = new ContinuationScorer(gpt2, tok);
        assertEquals(0.0, scorer.logLikelihood("hello", ""));
        // "" has log-likelihood 0 > any non-empty choice: chosen by acc and acc_norm (0 / max(1, 0) = 0)
        MultipleChoice.Result r = MultipleChoice.evaluate(scorer,
                List.of(new MultipleChoice.Item("hello", List.of(" world", ""), 1)));
        assertEquals(1.0, r.acc());
        assertEquals(1.0, r.accNorm());
        // identical choices tie: the first wins, so label 1 is wrong and label 0 right
        List<String> same = List.of(" world", " world");
        assertEquals(0.0, MultipleChoice.evaluate(scorer, List.of(new MultipleChoice.Item("hello", same, 1))).acc());
        assertEquals(1.0, MultipleChoice.evaluate(scorer, List.of(new MultipleChoice.Item("hello", same, 0))).accNorm());
        assertEquals(1, MultipleChoice.argmax(new double[] {-3, -1, -1, -2}));
    }

    @Test
    void emptyContextIsConditionedOnEos() {
        ContinuationScorer scorer = new ContinuationScorer(gpt2, tok);
        long[] cont = tok.encode("hello world");
        assertEquals(LmReference.continuation(gpt2, new long[] {gpt2.eosTokenId()}, cont),
                scorer.logLikelihood("", "hello world"), 1e-4);
    }

    @Test
    void pairsLongerThanThePositionsLoseContextFromTheLeft() {
        // fake tokenizer: "C" is 40 context ids, "C" + "X" adds 3 ids; the tiny GPT-2 has 32 positions, and as
        // in lm-eval the last token is not fed, so 33 tokens are kept: the last 30 of the context
        long[] ctx = new java.util.Random(5).longs(40, 0, 299).toArray();
        long[] cont = {17, 4, 250};
        long[] whole = Arrays.copyOf(ctx, 43);
        System.arraycopy(cont, 0, whole, 40, 3);
        LmTokenizer fake = LmReference.ids(text -> text.equals("C") ? ctx : text.equals("CX") ? whole : new long[0]);
        double got = new ContinuationScorer(gpt2, fake).logLikelihood("C", "X");
        assertEquals(LmReference.continuation(gpt2, Arrays.copyOfRange(ctx, 10, 40), cont), got, 1e-4);
        long[] huge = new long[40 + 33]; // 33 continuation tokens: no room for context
        LmTokenizer tooLong = LmReference.ids(text -> text.equals("C") ? ctx : huge);
        org.junit.jupiter.api.Assertions.assertThrows(dev.amalgam.AmalgamException.class,
                () -> new ContinuationScorer(gpt2, tooLong).logLikelihood("C", "Y"));
    }

    @Test
    void exactMatchComparesTheFirstGeneratedLineWithThePythonGreedyTokens() {
        long[] pythonGreedy;
        try (NDManager m = manager.newSubManager()) {
            pythonGreedy = Fixtures.longs(Fixtures.expected(Fixtures.dir("gpt2", "tiny"), m).get("cli_greedy_ids"));
        }
        String want = ExactMatch.cut(hf.decode(pythonGreedy, true));
        assertEquals(want, ExactMatch.answer(gpt2, tok, "hello world", 6));
        ExactMatch.Result r = ExactMatch.evaluate(gpt2, tok, List.of(
                new ExactMatch.Item("hello world", "  " + want + " "),
                new ExactMatch.Item("hello world", want + "x")), 6);
        assertEquals(0.5, r.exactMatch());
        assertEquals(2, r.count());
        assertEquals("42", ExactMatch.cut("  42 \nmore\n"));
        assertEquals("", ExactMatch.cut("\n42"));
    }
}
