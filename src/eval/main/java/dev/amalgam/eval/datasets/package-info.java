/**
 * Labelled datasets read from local files: the {@link dev.amalgam.eval.datasets.Dataset} abstraction,
 * image folders, IDX (MNIST-style), CSV/TSV text tables, dataset manifests (datasets/*.yaml,
 * {@link dev.amalgam.eval.datasets.ManifestDatasets}) and seeded stratified splits and subsamples.
 */
package dev.amalgam.eval.datasets;
