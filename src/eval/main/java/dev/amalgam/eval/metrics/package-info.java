/**
 * Metrics: accuracy, macro F1, cross-entropy, a streaming classification meter, and aggregates
 * (means, normalised accuracy) over tasks.
 */
package dev.amalgam.eval.metrics;
