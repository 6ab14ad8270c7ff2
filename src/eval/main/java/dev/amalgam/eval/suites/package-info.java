/**
 * Task suites and task specs read from YAML ({@link dev.amalgam.eval.suites.SuiteCatalog}: class names,
 * CLIP templates), and where a task's data lives under a user's data root
 * ({@link dev.amalgam.eval.suites.LocalTaskData}).
 */
package dev.amalgam.eval.suites;
