package dev.amalgam.eval.datasets.text;

import dev.amalgam.train.TextExample;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on the fixtures; expected sizes are worked out by hand in the comments. */
class TextSuiteBuilderTest {

    /*
     * Caps 12/6/6/6 give per-label caps train/val/test/ood = 12/k, 6/k, 6/k, 6/k and ID shares 1/2, 1/4, 1/4.
     * spam (k=2): ham 5 texts, spam 4 (one repeat dropped) -> test 2|1, val 1|1, train 2|2 -> 4/2/2;
     *   OOD: hard ham 2, spam-2 1 (its other message repeats spam-1) -> 1 per label.
     * sotu (k=2): 4 speeches x 3 paragraphs per party -> 1 speech test, 1 val, 2 train -> 12/6/6; OOD 3|6 -> 6.
     * wordnet (k=6): 7 synsets per label, 1 moved to OOD -> 6 -> test 2, val 1, train 3 -> capped 2/1/1 -> 12/6/6/6.
     * fortune (k=4): 5 short per label -> test 2, val 1, train 2 -> 8/4/4 (val, test capped at 1); 2 long -> 4.
     */
    private static final Map<String, List<Integer>> EXPECTED_SIZES = Map.of(
            "spam", List.of(4, 2, 2, 2),
            "sotu_party", List.of(12, 6, 6, 6),
            "wordnet_supersense", List.of(12, 6, 6, 6),
            "fortune_topic", List.of(8, 4, 4, 4));

    @Test
    void buildsBalancedDisjointSplitsAndAManifestThatMatchesTheFiles(@TempDir Path out) throws Exception {
        TextSuiteManifest m = TextSuiteBuilder.build(out, TextSuiteFixtures.options());
        assertEquals(TextSuiteOptions.ALL_TASKS, m.tasks().stream().map(TextSuiteManifest.Task::name).toList());
        for (TextSuiteManifest.Task task : m.tasks()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                String split = TaskSplits.NAMES.get(i);
                Path file = out.resolve(task.name()).resolve(split + ".jsonl");
                List<dev.amalgam.train.TextExample> rows = dev.amalgam.train.TextTask.readJsonl(file);
                assertEquals(EXPECTED_SIZES.get(task.name()).get(i), rows.size(), task.name() + "/" + split);
                int[] counts = new int[task.labels().size()];
                for (dev.amalgam.train.TextExample r : rows) {
                    counts[r.label()]++;
                    assertTrue(seen.add(r.text()), "text in two splits of " + task.name() + ": " + r.text());
                }
                for (int c : counts) {
                    assertEquals(rows.size() / task.labels().size(), c, task.name() + "/" + split + " unbalanced");
                }
                TextSuiteManifest.Split entry = task.splits().get(split);
                assertEquals(task.name() + "/" + split + ".jsonl", entry.file());
                assertEquals(rows.size(), entry.size());
                assertEquals(java.util.Arrays.stream(counts).boxed().toList(), entry.perLabel());
            }
        }
        assertEquals(m, TextSuiteManifest.read(out));
    }

    @Test
    void sameSeedGivesIdenticalFiles(@TempDir Path a, @TempDir Path b) throws Exception {
        TextSuiteBuilder.build(a, TextSuiteFixtures.options());
        TextSuiteBuilder.build(b, TextSuiteFixtures.options());
        List<Path> files = relativeFiles(a);
        assertEquals(files, relativeFiles(b));
        assertEquals(17, files.size());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        }
    }

    @Test
    void reusesAMatchingBuildAndRebuildsWhenOptionsChangeOrFilesAreMissing(@TempDir Path out) throws Exception {
        TextSuiteManifest first = TextSuiteBuilder.build(out, TextSuiteFixtures.options());
        Path train = out.resolve("sotu_party/train.jsonl");
        byte[] original = Files.readAllBytes(train);
        Files.writeString(train, "{\"text\":\"marker\",\"label\":0}\n");
        TextSuiteBuilder.build(out, TextSuiteFixtures.options());
        assertEquals("{\"text\":\"marker\",\"label\":0}\n", Files.readString(train), "a matching build was redone");

        Files.delete(out.resolve("spam/ood.jsonl"));
        TextSuiteBuilder.build(out, TextSuiteFixtures.options());
        assertArrayEquals(original, Files.readAllBytes(train));
        assertTrue(Files.isRegularFile(out.resolve("spam/ood.jsonl")));

        TextSuiteManifest reseeded = TextSuiteBuilder.build(out, TextSuiteFixtures.options().withSeed(7));
        assertNotEquals(first.buildHash(), reseeded.buildHash());
        assertEquals(7, TextSuiteManifest.read(out).seed());
    }

    @Test
    void missingNpmSourceFailsWithTheSetupCommand(@TempDir Path out, @TempDir Path emptyNpm) {
        Path r = TextSuiteFixtures.root();
        TextSuiteOptions opt = TextSuiteFixtures.options().withSources(emptyNpm, r.resolve("wordnet"), r.resolve("fortunes"))
                .withTasks(List.of("sotu_party"));
        AmalgamException e = assertThrows(AmalgamException.class, () -> TextSuiteBuilder.build(out, opt));
        assertTrue(e.getMessage().contains("run datasets/setup.sh"), e.getMessage());
        assertTrue(e.getMessage().contains(emptyNpm.toString()), e.getMessage());
    }

    private static List<Path> relativeFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
