package dev.amalgam.cli;

import dev.amalgam.merge.mergekit.MergeKitMethods;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameter tables of docs/mergekit.md and the method list of merge --help come from the declarations. */
class MethodHelpTest {
    static final String BEGIN = "<!-- parameters: generated from the declarations (MethodHelpTest) -->\n";
    static final String END = "<!-- end of generated parameters -->";

    @Test
    void docsTableIsTheGeneratedOne() throws IOException {
        assertGenerated("docs/mergekit.md", MethodHelp.markdownTable());
    }

    @Test
    void engineTableInMergingDocIsTheGeneratedOne() throws IOException {
        assertGenerated("docs/merging.md", MethodHelp.engineMarkdownTable());
    }

    private static void assertGenerated(String file, String expected) throws IOException {
        String doc = Files.readString(Path.of(file));
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        assertTrue(b >= 0 && e > b, file + " lacks the generated-table markers");
        assertEquals(expected, doc.substring(b + BEGIN.length(), e),
                file + "'s parameter table is out of date; paste the expected text between the markers");
    }

    @Test
    void everyKeyAMethodReadsIsDeclared() {
        // A key outside the declarations is refused, so reading one would be a silent default; the
        // declarations are checked against what checkKnown accepts by building each method with every key.
        for (dev.amalgam.merge.job.MergeMethods.Entry e : dev.amalgam.merge.job.MergeMethods.entries()) {
            java.util.Set<String> names = new java.util.HashSet<>();
            e.params().forEach(d -> assertTrue(names.add(d.name()), e.name() + " declares " + d.name() + " twice"));
            Exception err = org.junit.jupiter.api.Assertions.assertThrows(dev.amalgam.AmalgamException.class,
                    () -> e.factory().apply(new dev.amalgam.merge.MethodParams(e.name(), java.util.Map.of("no_such_key", 1))));
            assertTrue(err.getMessage().contains("no_such_key"), err.getMessage());
        }
    }

    @Test
    void mergeHelpListsEveryMethodWithItsParameters() {
        CliRunner r = new CliRunner();
        String help = MethodHelp.footer();
        for (String m : MergeKitMethods.names()) {
            assertTrue(help.contains("  " + m + " "), m);
        }
        assertTrue(help.contains("weight*=required"), help);
        for (dev.amalgam.merge.job.MergeMethods.Entry e : dev.amalgam.merge.job.MergeMethods.entries()) {
            assertTrue(help.contains("  " + e.name()), e.name());
            String flat = help.replace("%n", " ").replaceAll("\\s+", " ");
            e.params().forEach(d -> assertTrue(flat.contains(d.name() + "=" + d.defaultLabel().replace("%", "%%")),
                    e.name() + " " + d.name()));
        }
    }

    static final class CliRunner {
    }
}
