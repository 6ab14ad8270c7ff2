package dev.amalgam.merge;

import dev.amalgam.merge.job.MergeMethods;
import dev.amalgam.merge.mergekit.MergeKitMethods;
import dev.amalgam.testutil.RepoRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every method a recipe can name has its math in docs/methods (issue #13): its name appears there as `name`. */
class MethodSpecsTest {
    @Test
    void everyRecipeNameIsSpecifiedUnderDocsMethods() throws IOException {
        Path dir = RepoRoot.find().resolve("docs/methods");
        StringBuilder specs = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                specs.append(Files.readString(f));
            }
        }
        TreeSet<String> names = new TreeSet<>(MergeMethods.all().keySet());
        names.addAll(MergeKitMethods.all().keySet());
        assertTrue(names.size() > 25, names.toString());
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (!specs.toString().contains("`" + n + "`")) {
                missing.add(n);
            }
        }
        assertTrue(missing.isEmpty(), "no math under docs/methods for " + missing);
    }
}
