/**
 * {@link dev.amalgam.tensor.TensorBridge}: moves tensors between checkpoint storage (any dtype, memory-mapped)
 * and DJL NDArrays.
 */
package dev.amalgam.tensor;
