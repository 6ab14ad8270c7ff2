/**
 * The GPU check kit ({@link dev.amalgam.gpu.GpuCheck}, docs/gpu.md): native preflight (which libtorch and JNI
 * library DJL would load), forward and merge parity against the CPU, and evaluation throughput.
 */
package dev.amalgam.gpu;
