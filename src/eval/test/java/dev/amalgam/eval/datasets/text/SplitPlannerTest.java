package dev.amalgam.eval.datasets.text;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the split, checked by recounting the output (not by re-running the planner's logic). */
class SplitPlannerTest {

    private static final TextSuiteOptions OPT = TextSuiteOptions.defaults(Path.of(".")).withCaps(60, 15, 30, 30);

    /** 3 labels; groups of 1-3 texts; OOD shares some groups with ID (as WordNet does); planted duplicates. */
    private static RawTask synthetic() {
        List<LabeledText> id = new ArrayList<>();
        List<LabeledText> ood = new ArrayList<>();
        for (int label = 0; label < 3; label++) {
            for (int g = 0; g < 60 + 10 * label; g++) {
                String group = "L" + label + "G" + g;
                for (int j = 0; j <= g % 3; j++) {
                    id.add(new LabeledText("text " + group + " item " + j, label, group));
                }
                if (g % 2 == 0) {
                    ood.add(new LabeledText("example for " + group, label, group));
                }
            }
        }
        id.add(new LabeledText("Same text twice", 0, "dupA"));
        id.add(new LabeledText("same TEXT twice", 0, "dupB"));
        id.add(new LabeledText("conflicting text", 0, "conflictA"));
        id.add(new LabeledText("Conflicting text", 1, "conflictB"));
        ood.add(new LabeledText("text L2G1 item 0", 2, "oodCopyOfId"));
        return new RawTask("synthetic", List.of("a", "b", "c"), id, ood, "test", "test");
    }

    @Test
    void splitsAreBalancedCappedAndGroupDisjoint() {
        TaskSplits s = SplitPlanner.plan(synthetic(), OPT);
        assertEquals(List.of(20, 20, 20), perLabel(s.train()));
        assertEquals(List.of(5, 5, 5), perLabel(s.val()));
        assertEquals(List.of(10, 10, 10), perLabel(s.test()));
        assertEquals(List.of(10, 10, 10), perLabel(s.ood()));
        Map<String, String> splitOfGroup = new HashMap<>();
        Set<String> texts = new HashSet<>();
        for (String name : TaskSplits.NAMES) {
            for (LabeledText t : s.get(name)) {
                String prev = splitOfGroup.putIfAbsent(t.group(), name);
                assertTrue(prev == null || prev.equals(name), "group " + t.group() + " in " + prev + " and " + name);
                assertTrue(texts.add(t.text().toLowerCase(Locale.ROOT)), "duplicate text " + t.text());
                assertFalse(t.text().equalsIgnoreCase("conflicting text"));
                assertFalse(t.group().equals("oodCopyOfId"), "an OOD copy of an ID text survived");
            }
        }
    }

    @Test
    void sameSeedSameSplitsAndAnotherSeedOthers() {
        TaskSplits a = SplitPlanner.plan(synthetic(), OPT);
        TaskSplits b = SplitPlanner.plan(synthetic(), OPT);
        assertEquals(a, b);
        TaskSplits c = SplitPlanner.plan(synthetic(), OPT.withSeed(7));
        assertNotEquals(a.train(), c.train());
        assertNotEquals(a.ood(), c.ood());
    }

    @Test
    void smallPoolsAreSplitInProportionToTheCaps() {
        List<LabeledText> id = new ArrayList<>();
        for (int label = 0; label < 2; label++) {
            for (int i = 0; i < 18; i++) {
                id.add(new LabeledText("l" + label + " t" + i, label, "l" + label + "g" + i));
            }
        }
        List<LabeledText> ood = List.of(new LabeledText("o0", 0, "o0"), new LabeledText("o1", 1, "o1"),
                new LabeledText("o2", 1, "o2"));
        RawTask task = new RawTask("small", List.of("x", "y"), id, ood, "test", "test");
        // caps 1200/200/400 give shares 2/3, 1/9, 2/9: 18 texts per label -> 12 train, 2 val, 4 test.
        TaskSplits s = SplitPlanner.plan(task, TextSuiteOptions.defaults(Path.of(".")));
        assertEquals(List.of(12, 12), perLabel(s.train()));
        assertEquals(List.of(2, 2), perLabel(s.val()));
        assertEquals(List.of(4, 4), perLabel(s.test()));
        assertEquals(List.of(1, 1), perLabel(s.ood()));
    }

    @Test
    void dedupeKeepsFirstOfRepeatsDropsLabelConflictsAndIdCopiesInOod() {
        List<LabeledText> id = new ArrayList<>(List.of(new LabeledText("A one", 0, "a"),
                new LabeledText("a ONE", 0, "b"), new LabeledText("Shared", 0, "c"), new LabeledText("shared", 1, "d")));
        for (int i = 1; i <= 8; i++) {
            id.add(new LabeledText("zero " + i, 0, "z" + i));
        }
        for (int i = 0; i <= 8; i++) {
            id.add(new LabeledText("one " + i, 1, "o" + i));
        }
        List<LabeledText> ood = List.of(new LabeledText("a one", 0, "x"), new LabeledText("fresh zero", 0, "y"),
                new LabeledText("fresh one", 1, "w"));
        // After dedupe each label has 9 ID texts (2 test, 1 val, 6 train) and 1 OOD text: everything is used.
        TaskSplits s = SplitPlanner.plan(new RawTask("dedupe", List.of("x", "y"), id, ood, "t", "t"),
                TextSuiteOptions.defaults(Path.of(".")));
        Set<String> all = new HashSet<>();
        TaskSplits.NAMES.forEach(n -> s.get(n).forEach(t -> all.add(t.text())));
        Set<String> expected = new HashSet<>(List.of("A one", "fresh zero", "fresh one"));
        for (int i = 0; i <= 8; i++) {
            expected.add("one " + i);
            if (i > 0) {
                expected.add("zero " + i);
            }
        }
        assertEquals(expected, all);
        assertEquals(Set.of("fresh zero", "fresh one"), Set.copyOf(s.ood().stream().map(LabeledText::text).toList()));
    }

    private static List<Integer> perLabel(List<LabeledText> items) {
        int k = items.stream().mapToInt(LabeledText::label).max().orElse(0) + 1;
        return TextSuiteBuilder.perLabel(items, Math.max(k, 2));
    }
}
