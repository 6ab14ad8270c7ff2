/**
 * CLIP task suites: {@link dev.amalgam.eval.clip.ClipTaskSuite} scores a CLIP image tower on image
 * classification tasks with zero-shot heads (in-domain, corrupted and natural-shift OOD), caching
 * image features; {@link dev.amalgam.eval.clip.ClipTaskRun} is the {@code amalgam eval} entry.
 */
package dev.amalgam.eval.clip;
