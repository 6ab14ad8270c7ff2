package dev.amalgam.eval.lm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/** Text ↔ token ids for LM evaluation; {@link #of(HuggingFaceTokenizer)} adapts a Hugging Face tokenizer. */
public interface LmTokenizer {
    long[] encode(String text);

    /** Text of {@code ids} without special tokens. */
    String decode(long[] ids);

    static LmTokenizer of(HuggingFaceTokenizer tok) {
        return new LmTokenizer() {
            @Override
            public long[] encode(String text) {
                return tok.encode(text).getIds();
            }

            @Override
            public String decode(long[] ids) {
                return tok.decode(ids, true);
            }
        };
    }
}
