package dev.amalgam.merge.data;

import dev.amalgam.merge.job.MergeMethodProvider;
import dev.amalgam.merge.job.MergeMethods;

import java.util.List;

/** The data-aware methods as registry entries: they run the model on each task's examples first (docs/methods/data-aware.md). */
public final class DataAwareMethods implements MergeMethodProvider {
    @Override
    public List<MergeMethods.Entry> methods() {
        return List.of(
                new MergeMethods.Entry(RegMean.NAME, RegMean::fromParams, RegMean.PARAMS,
                        "per linear layer (Σ G_t)⁻¹ Σ G_t W_t from each task's input Gram matrices; other tensors averaged; FusionBench",
                        List.of()),
                new MergeMethods.Entry(RegMeanPlusPlus.NAME, RegMeanPlusPlus::fromParams, RegMean.PARAMS,
                        "RegMean with layer l's inputs taken from the partially merged model", List.of()),
                new MergeMethods.Entry(FisherMerging.NAME, FisherMerging::fromParams, FisherMerging.PARAMS,
                        "Fisher-weighted average with each task's diagonal Fisher information; FusionBench", List.of()),
                new MergeMethods.Entry(AdaMerging.NAME, AdaMerging::fromParams, AdaMerging.PARAMS,
                        "task- or layer-wise coefficients learned by minimising prediction entropy on unlabeled test inputs",
                        List.of()));
    }
}
