package dev.amalgam.report;

import java.util.List;

/** Everything one report shows; sweeps and saliency are optional (empty list / null). */
public record Report(String title, ResultTable results, List<Sweep> sweeps, Saliency saliency) {
    public Report {
        sweeps = sweeps == null ? List.of() : List.copyOf(sweeps);
    }
}
