/**
 * Image pixels for evaluation: RGB and float images and resampling with PIL-compatible filters.
 */
package dev.amalgam.eval.image;
