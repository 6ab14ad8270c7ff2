package dev.amalgam.report;

import tech.tablesaw.api.Table;

import java.util.List;

/**
 * Everything one report shows; sweeps, saliency and extra tables are optional (empty list / null).
 * Each extra table is written as {@code <table name>.csv} and shown under its name.
 */
public record Report(String title, ResultTable results, List<Sweep> sweeps, Saliency saliency, List<Table> tables) {
    public Report {
        sweeps = sweeps == null ? List.of() : List.copyOf(sweeps);
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public Report(String title, ResultTable results, List<Sweep> sweeps, Saliency saliency) {
        this(title, results, sweeps, saliency, List.of());
    }
}
