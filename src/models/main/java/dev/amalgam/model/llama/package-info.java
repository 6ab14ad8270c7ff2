/**
 * Llama-family decoders (Llama, Mistral, Qwen2) as one causal language model block
 * ({@link dev.amalgam.model.llama.LlamaModel}) with rotary position embeddings.
 */
package dev.amalgam.model.llama;
