package dev.amalgam.eval.suites;

import java.util.List;

/** A named list of tasks (TA8, TALL14, TALL20, or a user's own). */
public record SuiteSpec(String name, List<String> tasks) {
    public SuiteSpec {
        tasks = List.copyOf(tasks);
    }
}
