package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.PartialOutputs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** Entry point of the {@code amalgam} command. Each subcommand is its own class in this package. */
@Command(name = "amalgam", mixinStandardHelpOptions = true, version = "amalgam 0.1.0",
        description = "Merge fine-tuned checkpoints of one pretrained model and measure ID/OOD effects.",
        subcommands = {
            CommandLine.HelpCommand.class,
            MergeCommand.class,
            MaterializeCommand.class,
            InspectCommand.class,
            ConvertCommand.class,
            BenchCommand.class,
            EmbedCommand.class,
            GenerateCommand.class,
            FinetuneCommand.class,
            ExportCommand.class,
            DemoCommand.class,
            EvalCommand.class,
            RunCommand.class,
            ReportCommand.class,
            dev.amalgam.gpu.GpuCheck.class,
            DatasetsCommand.class,
        })
public final class Main implements Runnable {

    /** Exit code for bad input (malformed files, bad recipes, mismatched checkpoints). */
    public static final int EXIT_BAD_INPUT = 2;

    /** Exit code after SIGINT (128 + 2), as the JVM sets it; SIGTERM gives 143. */
    public static final int EXIT_INTERRUPTED = 130;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces on errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PartialOutputs.installShutdownHook(NativeExit::afterInterrupt);
        NativeExit.recordSignals();
        int code = preflight(args);
        if (code == 0) {
            code = execute(args);
        }
        PartialOutputs.exitingNormally();
        System.exit(code);
    }

    /**
     * Checks a libtorch named by PYTORCH_LIBRARY_PATH against DJL's JNI library before anything loads
     * them (docs/gpu.md#preflight): a mismatch would kill the JVM where no handler runs.
     */
    static int preflight(String[] args) {
        try {
            dev.amalgam.gpu.NativePreflight.run();
            return 0;
        } catch (AmalgamException e) {
            if (java.util.Arrays.asList(args).contains("--debug")) {
                e.printStackTrace();
            }
            System.err.println("amalgam: error: " + bare(e.getMessage()));
            return EXIT_BAD_INPUT;
        }
    }

    /** Runs the CLI and returns the exit code (used by tests). */
    public static int execute(String... args) {
        dev.amalgam.Messages.toStandardError();
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main());
        cl.getSubcommands().get("merge").getCommandSpec().usageMessage().footer(MethodHelp.footer())
                .adjustLineBreaksForWideCJKCharacters(false);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (PartialOutputs.interrupted()) {
                return EXIT_INTERRUPTED; // the shutdown hook has said what happened; this error is its echo
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            Throwable root = ex;
            while (!(root instanceof AmalgamException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof AmalgamException) {
                err.println("amalgam: error: " + bare(root.getMessage()));
                err.flush();
                return EXIT_BAD_INPUT;
            }
            err.println("amalgam: internal error: " + ex + (debug ? "" : " (rerun with --debug for details)"));
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("amalgam: error: " + bare(ex.getMessage()));
            err.println("(see 'amalgam " + ex.getCommandLine().getCommandName() + " --help')");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
            PrintWriter err = cl.getErr();
            err.println("amalgam: error: unknown command '" + args[0] + "'; commands: "
                    + String.join(", ", new java.util.TreeSet<>(cl.getSubcommands().keySet())));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        return cl.execute(args);
    }

    /** A message without a leading "Error:" of its own (the line already says "amalgam: error:"). */
    static String bare(String message) {
        String m = message == null ? "" : message.trim();
        while (m.regionMatches(true, 0, "error:", 0, 6)) {
            m = m.substring(6).trim();
        }
        return m;
    }
}
