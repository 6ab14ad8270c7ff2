package dev.amalgam.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.bert.BertTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizes a batch of {@link TextExample}s with a BERT {@link BertTokenizer} (special tokens added, truncated
 * to {@code maxLength}, padded to the longest text of the batch) into {@code input_ids, attention_mask,
 * token_type_ids}, each {@code [B, T]} int64, with the labels beside them.
 */
public final class TokenizingCollator implements Collator<TextExample>, AutoCloseable {
    private final BertTokenizer tokenizer;

    private TokenizingCollator(BertTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static TokenizingCollator open(Path tokenizerJson, int maxLength) {
        return new TokenizingCollator(BertTokenizer.open(tokenizerJson, maxLength));
    }

    @Override
    public LabeledBatch collate(NDManager manager, List<TextExample> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        long[] labels = new long[examples.size()];
        for (int i = 0; i < labels.length; i++) {
            texts.add(examples.get(i).text());
            labels[i] = examples.get(i).label();
        }
        BertTokenizer.Batch b = tokenizer.batch(texts, manager);
        return new LabeledBatch(new NDList(b.inputIds(), b.attentionMask(), b.tokenTypeIds()), manager.create(labels));
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
