/**
 * Language-model evaluation in the manner of lm-evaluation-harness: perplexity with a sliding window
 * ({@link dev.amalgam.eval.lm.Perplexity}), multiple choice by log-likelihood
 * ({@link dev.amalgam.eval.lm.MultipleChoice}) and exact match of greedy generations.
 */
package dev.amalgam.eval.lm;
