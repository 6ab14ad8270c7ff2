package dev.amalgam.merge.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Texts tokenised for a decoder LM (the tokenizer's own special tokens), cut at {@code maxLength}
 * tokens and right-padded to the batch's longest: [input_ids, mask], int64 [B, T]. The padding id is
 * 0; {@link CausalLmDataModel} drops the padded rows.
 */
final class DecoderTextExamples implements TaskExamples {
    private final List<String> texts;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    DecoderTextExamples(List<String> texts, HuggingFaceTokenizer tokenizer, int maxLength) {
        this.texts = List.copyOf(texts);
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    @Override
    public int size() {
        return texts.size();
    }

    @Override
    public NDList batch(int from, int to, NDManager m) {
        long[][] ids = new long[to - from][];
        int longest = 1;
        for (int i = from; i < to; i++) {
            long[] all = tokenizer.encode(texts.get(i)).getIds();
            ids[i - from] = java.util.Arrays.copyOf(all, Math.min(all.length, maxLength));
            longest = Math.max(longest, ids[i - from].length);
        }
        int b = to - from;
        long[] flat = new long[b * longest];
        long[] mask = new long[b * longest];
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, flat, i * longest, ids[i].length);
            java.util.Arrays.fill(mask, i * longest, i * longest + ids[i].length, 1L);
        }
        Shape shape = new Shape(b, longest);
        return new NDList(m.create(flat, shape), m.create(mask, shape));
    }
}
