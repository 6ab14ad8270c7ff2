package dev.amalgam.eval.datasets.text;

import dev.amalgam.train.TextExample;

import dev.amalgam.testutil.PackagedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds the real suite from the installed sources (skipped when datasets/setup.sh has not been run) and
 * writes the class-balance table to target/text-suite-table.md.
 */
@Tag("slow") // builds the whole real text suite
class TextSuiteRealSourcesTest {

    @Test
    void realSuiteIsBalancedDisjointAndLargeEnough(@TempDir Path out) throws Exception {
        TextSuiteOptions opt = TextSuiteOptions.defaults(Path.of("."));
        Path stdlib = opt.npmDir().resolve("node_modules/@stdlib");
        for (Path p : List.of(stdlib.resolve("datasets-spam-assassin/data"), stdlib.resolve("datasets-sotu/data"),
                opt.wordnetDir().resolve("data.noun"), opt.fortunesDir().resolve("computers"))) {
            PackagedData.present(p, "a text-suite source");
        }
        TextSuiteManifest m = TextSuiteBuilder.build(out, opt);
        for (TextSuiteManifest.Task task : m.tasks()) {
            int k = task.labels().size();
            Set<String> seen = new HashSet<>();
            int[] minimum = {600, 100, 200, 380};
            int[] cap = {opt.trainCap(), opt.valCap(), opt.testCap(), opt.oodCap()};
            for (int i = 0; i < 4; i++) {
                String split = TaskSplits.NAMES.get(i);
                List<dev.amalgam.train.TextExample> rows = dev.amalgam.train.TextTask.readJsonl(out.resolve(task.name()).resolve(split + ".jsonl"));
                String where = task.name() + "/" + split;
                assertTrue(rows.size() >= minimum[i] && rows.size() <= cap[i], where + " has " + rows.size());
                int[] counts = new int[k];
                for (dev.amalgam.train.TextExample r : rows) {
                    counts[r.label()]++;
                    assertTrue(!r.text().isBlank() && r.text().length() <= opt.maxChars(), where + ": " + r.text());
                    assertTrue(seen.add(r.text().toLowerCase(java.util.Locale.ROOT)), where + " repeats " + r.text());
                }
                for (int c : counts) {
                    assertEquals(rows.size() / k, c, where + " unbalanced");
                }
            }
        }
        checkSotuParagraphsComeFromTheirPartyAndEra(out, stdlib.resolve("datasets-sotu/data"));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/text-suite-table.md"), TextSuiteTable.markdown(m));
    }

    /** Re-reads the raw speeches: each sampled paragraph must occur in a speech of its party and period. */
    private static void checkSotuParagraphsComeFromTheirPartyAndEra(Path out, Path data) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> speeches = new ArrayList<>();
        try (Stream<Path> s = Files.list(data)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                speeches.add(json.readTree(p.toFile()));
            }
        }
        List<String> cleaned = speeches.stream().map(sp -> sp.get("text").asText().replaceAll("\\s+", " ")).toList();
        List<String> parties = List.of("Democratic", "Republican");
        for (String split : TaskSplits.NAMES) {
            List<dev.amalgam.train.TextExample> rows = dev.amalgam.train.TextTask.readJsonl(out.resolve("sotu_party").resolve(split + ".jsonl"));
            boolean ood = split.equals("ood");
            for (dev.amalgam.train.TextExample r : rows.subList(0, 40)) {
                String head = r.text().substring(0, Math.min(80, r.text().length()));
                boolean found = false;
                for (int i = 0; i < speeches.size() && !found; i++) {
                    int year = speeches.get(i).get("year").asInt();
                    boolean era = ood ? year >= 1980 : year >= 1900 && year < 1980;
                    found = era && speeches.get(i).get("party").asText().equals(parties.get(r.label()))
                            && cleaned.get(i).contains(head);
                }
                assertTrue(found, "sotu " + split + " paragraph not in a " + parties.get(r.label()) + " speech: " + head);
            }
        }
    }
}
