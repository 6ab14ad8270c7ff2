/**
 * CLIP: image and text towers ({@link dev.amalgam.model.clip.ClipModel}) as one block with Hugging Face
 * parameter names; OpenCLIP checkpoints are read through {@link dev.amalgam.model.clip.OpenClipKeyMapping}.
 */
package dev.amalgam.model.clip;
