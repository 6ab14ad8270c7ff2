/**
 * Numerical building blocks shared by the merge methods: a counter-based random generator
 * ({@link dev.amalgam.merge.ops.CounterRng}) that makes drops reproducible per tensor, exact streaming
 * magnitude selection, reductions over the task axis, 0/1 comparison masks, and Adam for the methods
 * that optimise (WUDI).
 */
package dev.amalgam.merge.ops;
