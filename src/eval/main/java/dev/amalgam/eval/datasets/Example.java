package dev.amalgam.eval.datasets;

/** One labelled example: an image or a text, with its integer class label (0-based). */
public sealed interface Example permits ImageExample, TextExample {
    int label();
}
