package dev.amalgam.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    static Report sample() {
        ResultTable t = new ResultTable(List.of("mnist", "svhn"), List.of("mnist/contrast"));
        t.add("Pre-trained", ResultTable.Kind.PRETRAINED, Map.of("mnist", 0.482, "svhn", 0.316), Map.of("mnist/contrast", 0.2));
        t.add("Fine-tuned (STL)", ResultTable.Kind.INDIVIDUAL, Map.of("mnist", 0.996, "svhn", 0.973), Map.of());
        t.add("TA | λ=0.3", ResultTable.Kind.MERGED, Map.of("mnist", 0.961, "svhn", 0.779), Map.of("mnist/contrast", 0.5));
        Sweep s = new Sweep("TA", new double[] {0.1, 0.3, 0.5}, new double[] {0.6, 0.87, 0.7});
        Saliency sal = new Saliency(List.of("mnist", "svhn"), List.of("layer0", "layer1", "layer2"),
                new double[][] {{0.1, 0.5, 0.9}, {0.2, Double.NaN, 0.4}});
        return new Report("Tiny <report>", t, List.of(s), sal);
    }

    @Test
    void averagesAreHandWorked() {
        ResultTable t = sample().results();
        ResultTable.Row ta = t.rows().get(2);
        assertEquals(0.87, t.idAverage(ta), 1e-12);           // (0.961 + 0.779) / 2
        assertEquals(0.5, t.oodAverage(ta), 1e-12);
        assertTrue(Double.isNaN(t.oodAverage(t.rows().get(1)))); // no OOD entries
    }

    @Test
    void writesCsvMarkdownAndSelfContainedHtml(@TempDir Path dir) throws IOException {
        List<Path> files = ReportWriter.write(sample(), dir);
        assertEquals(5, files.size());

        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals("method,kind,mnist,svhn,ood:mnist/contrast,ID avg,OOD avg", csv.get(0));
        String[] ta = csv.get(3).split(",");
        assertEquals("TA | λ=0.3", ta[0]);
        assertEquals(0.961, Double.parseDouble(ta[2]), 1e-12);
        assertEquals(0.87, Double.parseDouble(ta[5]), 1e-9);
        assertEquals(0.5, Double.parseDouble(ta[6]), 1e-12);

        String md = Files.readString(dir.resolve("results.md"));
        List<String> tableLines = md.lines().filter(l -> l.startsWith("|")).toList();
        assertEquals(2 + 3, tableLines.size());
        int cells = cellCount(tableLines.get(0));
        assertEquals(7, cells);
        for (String l : tableLines) {
            assertEquals(cells, cellCount(l), l);
            assertTrue(l.endsWith("|"));
        }
        assertTrue(tableLines.get(1).matches("\\|(---:?\\|)+"), tableLines.get(1));
        assertTrue(tableLines.get(4).contains("TA \\| λ=0.3"));
        assertTrue(tableLines.get(4).contains("| 96.1 |") && tableLines.get(4).contains("| 87.0 |"), tableLines.get(4));
        assertTrue(tableLines.get(3).contains("| – |"), "missing OOD shows as a dash");

        String html = Files.readString(dir.resolve("report.html"));
        assertFalse(html.toLowerCase().contains("http:") || html.toLowerCase().contains("https:"), "no URLs");
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains("@import") || html.contains("url("));
        assertTrue(html.contains("<td class=\"num\">87.0</td>"));
        assertTrue(html.contains("Tiny &lt;report&gt;"));
        assertEquals(4, count(html, "<svg "));                      // bars, ID-vs-OOD scatter, λ curve, heatmap
        assertEquals(3, count(html, "<title>mnist / layer"));       // heatmap: 2 tasks x 3 layers
        assertEquals(3, count(html, "<title>svhn / layer"));
        assertTrue(html.contains("<title>svhn / layer1: n/a</title>"));
        assertEquals(5, Pattern.compile("<title>[^<]* avg: [0-9.]+</title>").matcher(html).results().count());                     // 3 ID bars + 2 OOD bars (one missing)
        assertTrue(html.contains("<title>TA | λ=0.3 ID avg: 87.0</title>"));
        assertEquals(3, count(html, "<circle "));                   // one marker per λ
        assertTrue(Files.readString(dir.resolve("saliency.csv")).startsWith("task,layer0,layer1,layer2"));
        assertEquals(4, Files.readAllLines(dir.resolve("sweep.csv")).size());
    }

    private static int cellCount(String line) {
        return line.replace("\\|", "").split("\\|", -1).length - 2;
    }

    private static int count(String s, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
