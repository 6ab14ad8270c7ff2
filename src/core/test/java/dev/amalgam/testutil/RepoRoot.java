package dev.amalgam.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, for tests that read its docs: the nearest directory up with README.md and docs/. */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
