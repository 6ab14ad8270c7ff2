/**
 * Classification heads on top of a backbone's features: a fine-tuned linear head
 * ({@link dev.amalgam.model.heads.LinearHead}) and CLIP zero-shot heads built from class-name prompts
 * ({@link dev.amalgam.model.heads.ZeroShotHead}, cached on disk by {@link dev.amalgam.model.heads.HeadCache}).
 */
package dev.amalgam.model.heads;
