package dev.amalgam.merge.data;

import dev.amalgam.train.TextExample;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.train.LabeledBatch;
import dev.amalgam.train.TextTask;
import dev.amalgam.train.TokenizingCollator;

import java.util.List;

/** Texts tokenised for a BERT-family encoder: [input_ids, attention_mask, token_type_ids], padded to the batch's longest. */
final class EncoderTextExamples implements TaskExamples {
    private final List<TextExample> texts;
    private final TokenizingCollator collator;

    EncoderTextExamples(List<String> texts, TokenizingCollator collator) {
        this.texts = texts.stream().map(t -> new TextExample(t, 0)).toList();
        this.collator = collator;
    }

    @Override
    public int size() {
        return texts.size();
    }

    @Override
    public NDList batch(int from, int to, NDManager m) {
        LabeledBatch b = collator.collate(m, texts.subList(from, to));
        b.labels().close(); // unlabeled: the collator's placeholder labels are never read
        return b.inputs();
    }
}
