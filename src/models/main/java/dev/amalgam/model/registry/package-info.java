/**
 * {@link dev.amalgam.model.registry.ModelRegistry}: picks and loads the architecture of a Hugging Face model
 * directory by config.json {@code model_type}; docs/architecture.md says how to add one.
 */
package dev.amalgam.model.registry;
