package dev.amalgam.train;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tokenizes a batch of {@link TextTask.Example}s with a Hugging Face {@code tokenizer.json}
 * (special tokens added, truncated to {@code maxLength}, padded to the longest text of the batch)
 * into {@code input_ids, attention_mask, token_type_ids}, each {@code [B, T]} int64.
 */
public final class TokenizingCollator implements Collator<TextTask.Example>, AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private TokenizingCollator(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static TokenizingCollator open(Path tokenizerJson, int maxLength) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new AmalgamException(tokenizerJson + ": tokenizer file not found");
        }
        try {
            return new TokenizingCollator(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "padding", "longest", "truncation", "true", "maxLength", Integer.toString(maxLength),
                    "addSpecialTokens", "true")));
        } catch (IOException | RuntimeException e) {
            throw new AmalgamException(tokenizerJson + ": cannot load tokenizer (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public LabeledBatch collate(NDManager manager, List<TextTask.Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        long[] labels = new long[examples.size()];
        for (int i = 0; i < labels.length; i++) {
            texts.add(examples.get(i).text());
            labels[i] = examples.get(i).label();
        }
        Encoding[] enc = tokenizer.batchEncode(texts);
        int t = 0;
        for (Encoding e : enc) {
            t = Math.max(t, e.getIds().length);
        }
        long[][] ids = new long[enc.length][t];
        long[][] mask = new long[enc.length][t];
        long[][] types = new long[enc.length][t];
        for (int i = 0; i < enc.length; i++) {
            System.arraycopy(enc[i].getIds(), 0, ids[i], 0, enc[i].getIds().length);
            System.arraycopy(enc[i].getAttentionMask(), 0, mask[i], 0, enc[i].getAttentionMask().length);
            System.arraycopy(enc[i].getTypeIds(), 0, types[i], 0, enc[i].getTypeIds().length);
        }
        return new LabeledBatch(new NDList(manager.create(ids), manager.create(mask), manager.create(types)),
                manager.create(labels));
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
