package dev.amalgam.train;

/**
 * One labelled example with its integer class label (0-based): a text ({@link TextExample}) for fine-tuning and
 * evaluation, or an image ({@code eval.datasets.ImageExample}) for evaluation.
 */
public interface Example {
    int label();
}
