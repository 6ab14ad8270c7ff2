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
        String doc = Files.readString(Path.of("docs/mergekit.md"));
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        assertTrue(b >= 0 && e > b, "docs/mergekit.md lacks the generated-table markers");
        assertEquals(MethodHelp.markdownTable(), doc.substring(b + BEGIN.length(), e),
                "docs/mergekit.md's parameter table is out of date; paste the expected text between the markers");
    }

    @Test
    void mergeHelpListsEveryMethodWithItsParameters() {
        CliRunner r = new CliRunner();
        String help = MethodHelp.footer();
        for (String m : MergeKitMethods.names()) {
            assertTrue(help.contains("  " + m + " "), m);
        }
        assertTrue(help.contains("weight*=required"), help);
        assertTrue(help.contains("emr") && help.contains("tsv_m") && help.contains("iso_cts"), help);
    }

    static final class CliRunner {
    }
}
