/**
 * Runnable examples of the library API, compiled and run by the test command: merge two fine-tunes and
 * evaluate the result ({@link dev.amalgam.examples.MergeAndEvaluate}), and load a merged model with DJL
 * {@code Criteria} ({@link dev.amalgam.examples.LoadWithCriteria}).
 */
package dev.amalgam.examples;
