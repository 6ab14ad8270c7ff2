package dev.amalgam.eval.datasets;

import dev.amalgam.train.Example;

import java.awt.image.BufferedImage;

/** An image with its label. Images are decoded as stored (gray or colour); transforms convert to RGB. */
public record ImageExample(BufferedImage image, int label) implements Example {
}
