/**
 * The library's front door for evaluation and sweeps: {@link dev.amalgam.eval.api.Evaluation} scores models on a
 * suite, {@link dev.amalgam.eval.api.Sweep} runs a sweep recipe. Merging is {@link dev.amalgam.api.Merge}.
 */
package dev.amalgam.eval.api;
