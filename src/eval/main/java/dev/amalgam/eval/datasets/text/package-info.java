/**
 * Builds the packaged text suite (docs/datasets-text-suite.md): {@link dev.amalgam.eval.datasets.text.TextSuiteBuilder}
 * turns the installed raw corpora (fortunes, State of the Union speeches, SpamAssassin, WordNet
 * supersenses; one {@link dev.amalgam.eval.datasets.text.TextSource} each) into deterministic JSONL
 * splits, with group-disjoint split planning ({@link dev.amalgam.eval.datasets.text.SplitPlanner}) and text
 * normalisation and chunking.
 */
package dev.amalgam.eval.datasets.text;
