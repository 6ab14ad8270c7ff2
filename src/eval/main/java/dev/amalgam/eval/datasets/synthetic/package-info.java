/**
 * Seeded builders of small synthetic image sets (glyphs rendered in system fonts, geometric shapes)
 * and their storage as 8-bit grayscale sets ({@link dev.amalgam.eval.datasets.synthetic.GrayImages}),
 * with CLIP normalisation ({@link dev.amalgam.eval.datasets.synthetic.Pixels}).
 */
package dev.amalgam.eval.datasets.synthetic;
