package dev.amalgam.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code amalgam bench <what>}: performance measurements; each benchmark is its own subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure performance (io; merge, forward and eval benches are separate subcommands).",
        subcommands = {
            BenchIoCommand.class,
            BenchMergeCommand.class,
            BenchEvalCommand.class,
            BenchForwardCommand.class,
        })
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
