package dev.amalgam.train;

/** A text with its label: a line of a task's JSONL, a row of a text table, a batch element of fine-tuning. */
public record TextExample(String text, int label) implements Example {
}
