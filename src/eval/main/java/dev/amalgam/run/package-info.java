/**
 * {@code amalgam run}: a run recipe ({@link dev.amalgam.run.RunRecipe}) expands into cells
 * ({@link dev.amalgam.run.CellGrid}: baselines, then each method's grid), which
 * {@link dev.amalgam.run.RunEngine} computes (merge into the suite's live parameters, then evaluate) locally or
 * on a cluster, stores one file per cell and turns into a report. Suite kinds are registered in
 * {@link dev.amalgam.run.SuiteKinds}.
 */
package dev.amalgam.run;
