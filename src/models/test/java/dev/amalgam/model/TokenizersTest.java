package dev.amalgam.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DJL's HuggingFaceTokenizer on the small tokenizer.json files from src/scripts/make_tokenizer_fixtures.py,
 * which reuse the real pipelines (CLIP, GPT-2 byte-level BPE, Llama SentencePiece-converted BPE). The
 * expected ids are derived by hand from the vocabularies listed in that script.
 */
class TokenizersTest {

    @Test
    void clipLowercasesAppendsEndOfWordPadsAndTruncates() {
        try (HuggingFaceTokenizer tok = Tokenizers.clip(Fixtures.dir("tokenizers", "clip"), Tokenizers.CLIP_MAX_LENGTH)) {
            Encoding e = tok.encode("A  photo of a CAT");
            // <|startoftext|>=59, a</w>=26, photo</w>=55, of</w>=56, a</w>=26, cat</w>=58, <|endoftext|>=60
            long[] head = {59, 26, 55, 56, 26, 58, 60};
            assertEquals(77, e.getIds().length);
            assertArrayEquals(head, Arrays.copyOf(e.getIds(), 7));
            assertArrayEquals(new String[] {"<|startoftext|>", "a</w>", "photo</w>", "of</w>", "a</w>", "cat</w>",
                "<|endoftext|>"}, Arrays.copyOf(e.getTokens(), 7));
            for (int i = 7; i < 77; i++) {
                assertEquals(60, e.getIds()[i], "pad with <|endoftext|>");
                assertEquals(0, e.getAttentionMask()[i]);
            }
            assertEquals(1, e.getAttentionMask()[6]);
            // "dog" has no merges: d=3, o=14, g</w>=32
            assertArrayEquals(new long[] {59, 3, 14, 32, 60}, Arrays.copyOf(tok.encode("dog").getIds(), 5));
            // 100 words are cut to 77 tokens, still closed by <|endoftext|>
            long[] longIds = tok.encode("a ".repeat(100)).getIds();
            assertEquals(77, longIds.length);
            assertEquals(59, longIds[0]);
            assertEquals(26, longIds[75]);
            assertEquals(60, longIds[76]);
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                ai.djl.ndarray.NDList batch = Tokenizers.batch(tok, java.util.List.of("a cat", "dog"), m);
                assertArrayEquals(new long[] {2, 77}, batch.get(0).getShape().getShape());
                assertArrayEquals(new long[] {59, 26, 58, 60, 60}, Arrays.copyOf(batch.get(0).get(0).toLongArray(), 5));
                assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0}, Arrays.copyOf(batch.get(1).get(1).toLongArray(), 6));
            }
        }
    }

    @Test
    void gpt2ByteLevelBpe() {
        try (HuggingFaceTokenizer tok = Tokenizers.causalLm(Fixtures.dir("tokenizers", "gpt2"))) {
            Encoding e = tok.encode("hello world");
            // hello=259, Ġworld=264 (merges); no BOS in GPT-2
            assertArrayEquals(new long[] {259, 264}, e.getIds());
            assertArrayEquals(new String[] {"hello", "\u0120world"}, e.getTokens());
            // GPT-2 base byte ids: "h"=71, "!"=0, "Ġ"=220 then "x"=87: "h! x"
            assertArrayEquals(new long[] {71, 0, 220, 87}, tok.encode("h! x").getIds());
            assertEquals("hello world", tok.decode(new long[] {259, 264}));
        }
    }

    @Test
    void llamaSentencePieceStyleWithByteFallback() {
        try (HuggingFaceTokenizer tok = Tokenizers.causalLm(Fixtures.dir("tokenizers", "llama"))) {
            // <s>=1, ▁Hello=271, ▁world=276
            assertArrayEquals(new long[] {1, 271, 276}, tok.encode("Hello world").getIds());
            // "Hi ✓": ▁H=267, i → <0x69>=3+0x69=108, ▁=259, ✓ = E2 9C 93 → 229, 159, 150
            long[] ids = tok.encode("Hi \u2713").getIds();
            assertArrayEquals(new long[] {1, 267, 108, 259, 229, 159, 150}, ids);
            assertEquals("Hi \u2713", tok.decode(ids, true));
        }
    }
}
