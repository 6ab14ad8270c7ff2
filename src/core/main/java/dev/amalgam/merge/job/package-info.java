/**
 * One merge from a recipe: {@link dev.amalgam.merge.job.MergeJob} opens the checkpoints, builds the method
 * from {@link dev.amalgam.merge.job.MergeMethods} (recipe name → factory; modules above add theirs through
 * {@link dev.amalgam.merge.job.MergeMethodProvider}) and runs it.
 */
package dev.amalgam.merge.job;
