/**
 * Image preprocessing: CLIP's resize, crop and normalisation ({@link dev.amalgam.eval.transforms.ClipPreprocess})
 * and the pipeline that applies a corruption before it.
 */
package dev.amalgam.eval.transforms;
