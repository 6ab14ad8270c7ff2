/**
 * The stages of the task-arithmetic family, each written once with its two forms side by side: the
 * chunk form that the fused kernel runs on small Java arrays (CPU, one read of the T task vectors and
 * one write of the output per element) and the whole-array form on stacked NDArrays (any device).
 *
 * <ul>
 *   <li>sparsifiers: {@link dev.amalgam.merge.stages.Dropout} (DARE's random drop, per-task drop rates,
 *   inverse or L1 rescale), {@link dev.amalgam.merge.stages.MagnitudeTrim} (top-k, global thresholds and
 *   Breadcrumbs/outlier bands, per row or per tensor, exact ranks from {@link dev.amalgam.merge.stages.RankSelect},
 *   MergeKit's exact-count bands in one read from {@link dev.amalgam.merge.stages.BracketSelect}),
 *   {@link dev.amalgam.merge.stages.RankedDrop} (DELLA's magnitude-ranked random drop);</li>
 *   <li>consensus: {@link dev.amalgam.merge.stages.Combine} (sum, or TIES sign election with dis-sum,
 *   dis-mean, dis-max and a zero-sign policy);</li>
 *   <li>the pipeline: {@link dev.amalgam.merge.stages.TrimCombineKernel}, x_t = w_t·f_t·trim(drop(τ_t)),
 *   delta = combine(x), θ = θ_0 + λ·delta, each stage optional.</li>
 * </ul>
 *
 * <p>Amalgam's paper methods (TIES, DARE, Breadcrumbs) and MergeKit's generalized task arithmetic
 * ({@code merge.mergekit.GtaKernel}: ties, dare_*, breadcrumbs*, della*) are configurations of this one
 * pipeline; what differs between them is only which stages they pick and their defaults. EMR's election
 * ({@link dev.amalgam.merge.stages.Election}) and TALL's masks ({@link dev.amalgam.merge.stages.TallStage})
 * are per-task-model methods on the same chunk loop ({@link dev.amalgam.merge.stages.ChunkedPass}).
 */
package dev.amalgam.merge.stages;
