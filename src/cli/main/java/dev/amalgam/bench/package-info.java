/**
 * Support for {@code amalgam bench}: full-size synthetic checkpoints with real tensor names and shapes,
 * and one measurement per fresh JVM with its peak resident memory.
 */
package dev.amalgam.bench;
