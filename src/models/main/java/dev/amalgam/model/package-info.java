/**
 * The architectures' common ground: {@link dev.amalgam.model.HfModelBlock} (a DJL block whose parameters carry
 * the Hugging Face names and can be rewritten in place, {@link dev.amalgam.model.InPlaceParameters}),
 * checkpoint weights by name ({@link dev.amalgam.model.ModelWeights}), config.json access
 * ({@link dev.amalgam.model.HfConfig}), causal language models with a KV cache and tokenizers. The
 * architectures are in the sub-packages; {@code model.registry} picks one from config.json.
 */
package dev.amalgam.model;
