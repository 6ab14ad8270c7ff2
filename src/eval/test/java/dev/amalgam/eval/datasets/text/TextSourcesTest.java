package dev.amalgam.eval.datasets.text;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each source on the hand-written fixtures in src/testdata/textsuite. */
class TextSourcesTest {

    private static LabeledText byGroup(List<LabeledText> items, String group) {
        return items.stream().filter(t -> t.group().equals(group)).findFirst().orElseThrow(() -> new AssertionError(group));
    }

    @Test
    void spamAssassinLabelsByFolderAndDecodesMessages() throws Exception {
        RawTask t = new SpamAssassinSource(TextSuiteFixtures.stdlib().resolve("datasets-spam-assassin/data")).load(400);
        assertEquals(List.of("ham", "spam"), t.labels());
        assertEquals(10, t.id().size());
        assertEquals(4, t.ood().size());
        assertEquals(Set.of("easy-ham-1", "spam-1"), folders(t.id()));
        assertEquals(Set.of("hard-ham-1", "spam-2"), folders(t.ood()));
        for (LabeledText x : concat(t.id(), t.ood())) {
            assertEquals(x.group().contains("spam-") ? 1 : 0, x.label(), x.group());
            assertFalse(x.text().contains("Received") || x.text().contains("@"), x.text());
        }
        assertEquals("Re: kernel build fails again The kernel build fails at the linking step on my laptop. "
                + "Did anyone try the patch from yesterday?", byGroup(t.id(), "easy-ham-1/00001.test").text());
        assertEquals("R\u00e9sum\u00e9 of the talk The talk covered garbage collection in Java.",
                byGroup(t.id(), "easy-ham-1/00003.test").text());
        assertEquals("FREE money Click here to WIN & get $1000 now!", byGroup(t.id(), "spam-1/00001.test").text());
        assertEquals("Lowest mortgage rates Refinance today and save thousands on your mortgage!",
                byGroup(t.id(), "spam-1/00002.test").text());
        assertEquals("Your weekly newsletter This week's specials Members save 10% on all books.",
                byGroup(t.ood(), "hard-ham-1/00001.test").text());
    }

    @Test
    void sotuKeepsDemocratsAndRepublicansFrom1900AndSplitsByYear() throws Exception {
        RawTask t = new SotuSource(TextSuiteFixtures.stdlib().resolve("datasets-sotu/data")).load(400);
        assertEquals(List.of("Democratic", "Republican"), t.labels());
        Set<String> idSpeeches = t.id().stream().map(LabeledText::group).collect(Collectors.toSet());
        assertEquals(Set.of("1905_theodore_roosevelt_r", "1910_william_h_taft_r", "1925_calvin_coolidge_r",
                "1955_dwight_d_eisenhower_r", "1915_woodrow_wilson_d", "1935_franklin_d_roosevelt_d",
                "1950_harry_s_truman_d", "1965_lyndon_b_johnson_d"), idSpeeches);
        assertEquals(Set.of("1985_ronald_reagan_r", "1995_william_j_clinton_d", "2021_joseph_r_biden_d"),
                t.ood().stream().map(LabeledText::group).collect(Collectors.toSet()));
        for (LabeledText x : concat(t.id(), t.ood())) {
            assertEquals(x.group().endsWith("_r") ? 1 : 0, x.label(), x.group());
        }
        // Each fixture speech has 9 sentences (3 per paragraph) and is cut into 3 paragraphs of 3.
        assertEquals(24, t.id().size());
        assertEquals("The forests program of 1905 must grow, part 1, said the President to Mr. Speaker and the "
                + "Congress. We ask the Congress for more money for forests in the year 1905. Our people expect "
                + "action on forests now!", byGroup(t.id(), "1905_theodore_roosevelt_r").text());
    }

    @Test
    void wordnetTakesDefinitionsForIdAndFirstUsageExampleForOod() throws Exception {
        RawTask t = new WordNetSupersenseSource(TextSuiteFixtures.root().resolve("wordnet")).load(400);
        assertEquals(List.of("noun.artifact", "noun.communication", "noun.person", "verb.contact", "verb.motion",
                "verb.possession"), t.labels());
        // 7 synsets for each of the 6 chosen lexicographer files; noun.animal / verb.weather lines are skipped.
        assertEquals(42, t.id().size());
        assertEquals(30, t.ood().size());
        for (int label = 0; label < 6; label++) {
            int l = label;
            assertEquals(7, t.id().stream().filter(x -> x.label() == l).count());
            assertEquals(5, t.ood().stream().filter(x -> x.label() == l).count());
        }
        // data.verb, lex file 40 (verb.possession): "give up with the intent of never claiming again; "Abandon ..."; ..."
        LabeledText def = t.id().stream().filter(x -> x.text().startsWith("give up with the intent")).findFirst().orElseThrow();
        assertEquals("give up with the intent of never claiming again", def.text());
        assertEquals(5, def.label());
        LabeledText ex = byGroup(t.ood(), def.group());
        assertEquals("Abandon your life to God", ex.text());
        assertEquals("a pedal that controls the throttle valve", t.id().stream()
                .filter(x -> x.text().startsWith("a pedal")).findFirst().orElseThrow().text());
        assertTrue(t.id().stream().anyMatch(x -> x.text().equals("a switch consisting of a twig or a bundle of twigs "
                + "from a birch tree; used to hit people as punishment")));
        assertTrue(t.ood().stream().noneMatch(x -> x.text().contains("\"")));
    }

    @Test
    void fortunesSplitShortFromLongAndDropAttributionAndOverstrike() throws Exception {
        RawTask t = new FortuneSource(TextSuiteFixtures.root().resolve("fortunes")).load(400);
        assertEquals(List.of("computers", "politics", "science", "work"), t.labels());
        assertEquals(20, t.id().size());
        assertEquals(8, t.ood().size());
        assertTrue(t.id().stream().allMatch(x -> x.text().length() <= FortuneSource.SHORT_MAX_CHARS));
        assertTrue(t.ood().stream().allMatch(x -> x.text().length() > FortuneSource.SHORT_MAX_CHARS));
        assertTrue(t.id().stream().anyMatch(x -> x.label() == 2 && x.text().equals("Another short remark on atoms, number two.")));
        assertTrue(t.id().stream().anyMatch(x -> x.label() == 0 && x.text().equals("Fourth saying about under compilers in bold.")));
        assertTrue(concat(t.id(), t.ood()).stream().noneMatch(x -> x.text().contains("--") || x.text().equals("tiny")));
        assertTrue(t.ood().stream().allMatch(x -> x.text().endsWith("collapsed into single spaces.")));
    }

    @Test
    void missingSourcesNameThePathAndTheSetupScript(@TempDir Path empty) {
        for (TextSource s : List.of(new SpamAssassinSource(empty), new SotuSource(empty.resolve("sotu")),
                new WordNetSupersenseSource(empty), new FortuneSource(empty))) {
            AmalgamException e = assertThrows(AmalgamException.class, s::requireInstalled);
            assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("run datasets/setup.sh"),
                    e.getMessage());
        }
    }

    private static Set<String> folders(List<LabeledText> items) {
        return items.stream().map(x -> x.group().substring(0, x.group().indexOf('/'))).collect(Collectors.toSet());
    }

    private static List<LabeledText> concat(List<LabeledText> a, List<LabeledText> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
