package dev.amalgam.eval.datasets.text;

/**
 * One example of a text classification task.
 *
 * @param text  normalised text (single spaces, truncated)
 * @param label index into the task's label names
 * @param group the unit that must not be split across train/val/test/ood (a speech, a synset, a message)
 */
public record LabeledText(String text, int label, String group) {
}
