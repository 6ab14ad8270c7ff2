package dev.amalgam.eval.datasets;

/** A text with its label. */
public record TextExample(String text, int label) implements Example {
}
