/**
 * Merge recipes: {@link dev.amalgam.recipe.RecipeParser} reads the YAML of {@code amalgam merge} into a
 * {@link dev.amalgam.recipe.MergeRecipe}, refusing any key Amalgam does not implement with one line naming
 * the file and key (docs/merging.md).
 */
package dev.amalgam.recipe;
