package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.demo.DemoMethods;
import dev.amalgam.demo.DemoRunner;
import dev.amalgam.merge.MergeMethods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code amalgam demo}: the offline merge-then-evaluate benchmark. Builds the zoo under models/zoo
 * on first use (real pretrained MiniLM from Maven Central, real packaged corpora, seeded fine-tunes),
 * then merges with every data-free method, each with and without LwPTV, and evaluates ID and OOD.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Offline merge-then-evaluate benchmark (builds the model zoo on first use).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--zoo", defaultValue = "models/zoo", description = "Zoo cache directory (default ${DEFAULT-VALUE}).")
    Path zoo;

    @Option(names = "--out", defaultValue = "runs/demo", description = "Report directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--eval-cap", defaultValue = "300", description = "Examples per split evaluated (default ${DEFAULT-VALUE}).")
    int evalCap;

    @Option(names = "--methods", split = ",", description = "Subset of method names (default: all data-free methods).")
    List<String> methods;

    @Option(names = "--lwptv", defaultValue = "", description = "LwPTV options KEY=VALUE,... (default: Amalgam's defaults).")
    String lwptv;

    @Override
    public Integer call() throws Exception {
        List<DemoMethods.Method> chosen = new ArrayList<>();
        for (DemoMethods.Method m : DemoMethods.all()) {
            if (methods != null && !methods.contains(m.name())) {
                continue;
            }
            if (!MergeMethods.all().containsKey(m.name())) {
                System.err.println("demo: skipping " + m.name() + " (not available in this build)");
                continue;
            }
            chosen.add(m);
        }
        if (chosen.isEmpty()) {
            throw new AmalgamException("--methods selects no known method; known: " + DemoMethods.all().stream().map(DemoMethods.Method::name).toList());
        }
        Path home = Path.of(System.getProperty("amalgam.home", "."));
        DemoRunner.run(new DemoRunner.Options(home.resolve(zoo), home.resolve(out), home, evalCap, chosen,
                MergeCommand.parseKv(lwptv, "--lwptv")));
        return 0;
    }
}
