package dev.amalgam.eval.datasets.text;

import dev.amalgam.train.TextExample;

/**
 * One example of a raw text task before splitting: the {@link TextExample} with the group it belongs to.
 *
 * @param example normalised text (single spaces, truncated) and its index into the task's label names
 * @param group   the unit that must not be split across train/val/test/ood (a speech, a synset, a message)
 */
public record LabeledText(TextExample example, String group) {

    public LabeledText(String text, int label, String group) {
        this(new TextExample(text, label), group);
    }

    public String text() {
        return example.text();
    }

    public int label() {
        return example.label();
    }
}
