/**
 * CLIP: image and text towers ({@link dev.amalgam.model.clip.ClipModel}) as one block with Hugging Face
 * parameter names; OpenCLIP checkpoints are read through {@link dev.amalgam.model.clip.OpenClipKeyMapping}. The
 * text tower embeds prompts ({@link dev.amalgam.model.clip.ClipTextEmbedder}) for zero-shot heads
 * ({@link dev.amalgam.model.clip.ClipZeroShot}).
 */
package dev.amalgam.model.clip;
