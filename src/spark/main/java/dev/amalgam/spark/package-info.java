/**
 * Computes the cells of {@code amalgam run} on Apache Spark ({@link dev.amalgam.spark.SparkBackend}, found by
 * {@code ServiceLoader}): one task per cell on executors that keep their suites open between tasks, each on
 * the GPU Spark assigns it.
 */
package dev.amalgam.spark;
