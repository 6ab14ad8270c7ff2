package dev.amalgam.merge.data;

import java.util.Map;

/**
 * Opens the task data of a suite a recipe's {@code data: {suite: …}} names. Suites live above this package (in
 * {@code dev.amalgam.run}), which provides the implementation through
 * {@code META-INF/services/dev.amalgam.merge.data.SuiteDataOpener}.
 */
public interface SuiteDataOpener {
    /** The suite's data for {@code split}; the suite stays open with the data. */
    MergeData open(Map<?, ?> spec, String split, String method);
}
