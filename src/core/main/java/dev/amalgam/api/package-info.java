/**
 * The library's front door for merging: {@link dev.amalgam.api.Merge}. Evaluation and sweeps are in
 * {@code dev.amalgam.eval.api} (module amalgam-eval). Everything else public is reachable through these and
 * documented per package; docs/architecture.md shows how the packages fit.
 */
package dev.amalgam.api;
