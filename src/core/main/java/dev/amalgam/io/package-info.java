/**
 * Checkpoint files: safetensors read memory-mapped tensor by tensor ({@link dev.amalgam.io.SafetensorsFile},
 * {@link dev.amalgam.io.TensorSource}), single or sharded Hugging Face directories opened as one
 * {@link dev.amalgam.io.Checkpoint} by {@link dev.amalgam.io.Checkpoints#open}, and the sharded, atomic writer
 * ({@link dev.amalgam.io.ShardedWriter}) with dtype conversion, provenance and output locks.
 */
package dev.amalgam.io;
