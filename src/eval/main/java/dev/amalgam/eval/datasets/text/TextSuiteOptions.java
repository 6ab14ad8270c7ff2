package dev.amalgam.eval.datasets.text;

import java.nio.file.Path;
import java.util.List;

/**
 * How the text suite is built: seed, per-task split caps (totals over all labels; each split is
 * class-balanced, so a cap is split evenly across labels), text length cap, where the raw sources live and
 * which tasks to build.
 */
public record TextSuiteOptions(long seed, int trainCap, int valCap, int testCap, int oodCap, int maxChars,
                               Path npmDir, Path wordnetDir, Path fortunesDir, List<String> tasks) {

    /** All tasks, in build order. */
    public static final List<String> ALL_TASKS = List.of(SpamAssassinSource.TASK, SotuSource.TASK,
            WordNetSupersenseSource.TASK, FortuneSource.TASK);

    public TextSuiteOptions {
        if (trainCap < 1 || valCap < 1 || testCap < 1 || oodCap < 1 || maxChars < 20) {
            throw new IllegalArgumentException("split caps must be >= 1 and maxChars >= 20");
        }
        tasks = List.copyOf(tasks);
        for (String t : tasks) {
            if (!ALL_TASKS.contains(t)) {
                throw new IllegalArgumentException("unknown text-suite task " + t + "; known: " + ALL_TASKS);
            }
        }
    }

    /** Defaults: seed 42, caps 1200/200/400/400, 400 chars, npm packages under {@code repoRoot/datasets/npm}. */
    public static TextSuiteOptions defaults(Path repoRoot) {
        return new TextSuiteOptions(42, 1200, 200, 400, 400, 400, repoRoot.resolve("datasets").resolve("npm"),
                Path.of("/usr/share/wordnet"), Path.of("/usr/share/games/fortunes"), ALL_TASKS);
    }

    public TextSuiteOptions withSeed(long s) {
        return new TextSuiteOptions(s, trainCap, valCap, testCap, oodCap, maxChars, npmDir, wordnetDir, fortunesDir, tasks);
    }

    public TextSuiteOptions withCaps(int train, int val, int test, int ood) {
        return new TextSuiteOptions(seed, train, val, test, ood, maxChars, npmDir, wordnetDir, fortunesDir, tasks);
    }

    public TextSuiteOptions withSources(Path npm, Path wordnet, Path fortunes) {
        return new TextSuiteOptions(seed, trainCap, valCap, testCap, oodCap, maxChars, npm, wordnet, fortunes, tasks);
    }

    public TextSuiteOptions withTasks(List<String> names) {
        return new TextSuiteOptions(seed, trainCap, valCap, testCap, oodCap, maxChars, npmDir, wordnetDir, fortunesDir, names);
    }

    /** The source of one task, reading from the configured locations. */
    TextSource source(String task) {
        Path stdlib = npmDir.resolve("node_modules").resolve("@stdlib");
        return switch (task) {
            case SpamAssassinSource.TASK -> new SpamAssassinSource(stdlib.resolve("datasets-spam-assassin").resolve("data"));
            case SotuSource.TASK -> new SotuSource(stdlib.resolve("datasets-sotu").resolve("data"));
            case WordNetSupersenseSource.TASK -> new WordNetSupersenseSource(wordnetDir);
            case FortuneSource.TASK -> new FortuneSource(fortunesDir);
            default -> throw new IllegalArgumentException("unknown text-suite task " + task);
        };
    }
}
