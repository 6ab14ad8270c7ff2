package dev.amalgam.cli;

import dev.amalgam.report.SeedSpreadReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code amalgam report --merge-runs DIR... --out DIR}: the spread over runs of one sweep, one run per zoo seed. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Combine runs of the same sweep (one per zoo seed): mean, sd, min–max per row and column, and in "
                + "how many runs each paired-bootstrap difference was significant. See docs/run.md, \"Statistics\".")
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--merge-runs", arity = "2..*", required = true, paramLabel = "DIR",
            description = "Run directories of `amalgam run` (each with results.csv), one per zoo seed.")
    List<Path> runs;

    @Option(names = "--out", required = true, description = "Where seed-spread.md and <table>-spread.csv go.")
    Path out;

    @Override
    public Integer call() {
        for (Path f : SeedSpreadReport.write(runs, out)) {
            System.out.println(f);
        }
        return 0;
    }
}
