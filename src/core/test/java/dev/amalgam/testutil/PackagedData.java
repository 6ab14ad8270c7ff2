package dev.amalgam.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The one place tests check for a packaged dataset (Debian or npm, installed by datasets/setup.sh): a
 * missing file skips the test on a developer machine, and FAILS it under CI ({@code CI=true}) or with
 * {@code -Damalgam.requireData=true}, so a CI run never passes by skipping what it should have run
 * (docs/testing.md).
 */
public final class PackagedData {
    private PackagedData() {
    }

    /** Whether a missing dataset fails the test instead of skipping it. */
    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("amalgam.requireData");
    }

    /** Returns when {@code path} exists; otherwise skips the test, or fails it when {@link #required()}. */
    public static void present(Path path, String what) {
        if (Files.exists(path)) {
            return;
        }
        String message = path + " missing (" + what + "): run datasets/setup.sh";
        if (required()) {
            fail(message + " [CI / -Damalgam.requireData=true: packaged datasets are required]");
        }
        abort(message);
    }
}
