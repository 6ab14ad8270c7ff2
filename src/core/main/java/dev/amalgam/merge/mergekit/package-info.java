/**
 * MergeKit's methods on Amalgam's streaming executor ({@link dev.amalgam.merge.mergekit.MergeKitMethods}):
 * linear, SLERP, NuSLERP, multi-SLERP, Karcher mean, model stock, generalized task arithmetic (TIES, DARE,
 * Breadcrumbs, DELLA), SCE, Arcee Fusion and passthrough, with MergeKit's per-layer parameter
 * gradients and tokenizer/vocabulary handling ({@link dev.amalgam.merge.mergekit.VocabularyPlan}).
 */
package dev.amalgam.merge.mergekit;
