/**
 * GPT-2 as a causal language model block ({@link dev.amalgam.model.gpt2.Gpt2Model}).
 */
package dev.amalgam.model.gpt2;
