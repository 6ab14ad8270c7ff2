/**
 * Image corruptions at severities 1-5 for out-of-domain evaluation (Gaussian and impulse noise, motion
 * blur, pixelate, contrast, JPEG, spatter), chosen by name through
 * {@link dev.amalgam.eval.transforms.corruption.Corruptions}.
 */
package dev.amalgam.eval.transforms.corruption;
