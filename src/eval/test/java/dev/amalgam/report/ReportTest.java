package dev.amalgam.report;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
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
        t.examples("mnist", 1000).examples("ood:mnist/contrast", 10);
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
        assertEquals(6, files.size());

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
        assertTrue(tableLines.get(0).contains("| mnist (n=1000) | svhn | ood:mnist/contrast (n=10) |"), tableLines.get(0));
        // Wilson 95 %: 961/1000 -> [94.71, 97.13]; 5/10 -> [23.7, 76.3]; svhn has no n, so no interval
        assertTrue(tableLines.get(4).contains("| 96.1 (94.7–97.1) | 77.9 | 50.0 (23.7–76.3) | 87.0 | 50.0 |"), tableLines.get(4));
        assertTrue(tableLines.get(3).contains("| – |"), "missing OOD shows as a dash");

        String html = Files.readString(dir.resolve("report.html"));
        assertFalse(html.toLowerCase().contains("http:") || html.toLowerCase().contains("https:"), "no URLs");
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains("@import") || html.contains("url("));
        assertTrue(html.contains("<td class=\"num\">87.0</td>"));
        assertTrue(html.contains("mnist<span class=\"n\">n = 1000</span>"), "n under the split's name");
        assertTrue(html.contains("<td class=\"num\">96.1<span class=\"ci\">94.7–97.1</span></td>"), "interval under the accuracy");
        assertTrue(html.contains("Wilson score interval"));
        assertTrue(html.contains("Tiny &lt;report&gt;"));
        assertEquals(4, count(html, "<svg "));                      // bars, ID-vs-OOD scatter, λ curve, heatmap
        assertEquals(3, count(html, "<title>mnist / layer"));       // heatmap: 2 tasks x 3 layers
        assertEquals(3, count(html, "<title>svhn / layer"));
        assertTrue(html.contains("<title>svhn / layer1: n/a</title>"));
        assertEquals(5, Pattern.compile("<title>[^<]* avg: [0-9.]+</title>").matcher(html).results().count());                     // 3 ID bars + 2 OOD bars (one missing)
        assertTrue(html.contains("<title>TA | λ=0.3 ID avg: 87.0</title>"));
        assertEquals(3, count(html, "<title>TA λ="));               // one marker per λ
        assertTrue(html.contains(">1  Pre-trained</text>") && html.contains(">2  TA | λ=0.3</text>"), "scatter legend by number");
        assertTrue(Pattern.compile("font-weight=\"bold\"[^>]*>2</text>").matcher(html).find(), "point 2 labelled on the chart");
        for (String cell : List.of("0.1", "0.5", "0.9", "0.2", "n/a", "0.4")) {
            assertTrue(html.contains(">" + cell + "</text>"), "heatmap prints " + cell);
        }
        assertTrue(Files.readString(dir.resolve("saliency.csv")).startsWith("task,layer0,layer1,layer2"));
        assertEquals(4, Files.readAllLines(dir.resolve("sweep.csv")).size());

        List<String> ci = Files.readAllLines(dir.resolve("intervals.csv"));
        assertEquals("method,kind,column,accuracy,n,ci95_low,ci95_high", ci.get(0));
        assertEquals(1 + 3 * 3, ci.size(), "one line per row and split");
        assertEquals("TA | λ=0.3,merged,mnist,0.961,1000,0.947131,0.971341", ci.get(7));
        assertEquals("TA | λ=0.3,merged,svhn,0.779,,,", ci.get(8), "n unknown: no interval");
    }

    @Test
    void numbersAreWrittenShortAndAlike() {
        assertEquals("0.56", Num.csv(0.5599999999999999));
        assertEquals("0.3", Num.csv(0.1 + 0.2));
        assertEquals("1", Num.csv(1.0));
        assertEquals("0.123457", Num.csv(0.1234567));
        assertEquals("1e-7", Num.csv(1e-7));
        assertEquals("", Num.csv(Double.NaN));
        assertEquals("56.0", Num.percent(0.5599999999999999));
        assertEquals("–", Num.percent(Double.NaN));
        assertEquals("0.3", Num.shortest(0.30000000000000004, 4));
        Table t = Table.create("t", tech.tablesaw.api.DoubleColumn.create("x", new double[] {0.5599999999999999, 0.1 + 0.2}),
                tech.tablesaw.api.StringColumn.create("s", new String[] {"a,b", "say \"hi\""}));
        assertEquals("| x | s |\n|---:|---|\n| 56.0 | a,b |\n| 30.0 | say \"hi\" |\n", MarkdownTable.render(t, true));
    }

    @Test
    void csvIsShortAndQuoted(@TempDir Path dir) throws IOException {
        Table t = Table.create("t", tech.tablesaw.api.DoubleColumn.create("x", new double[] {0.5599999999999999, Double.NaN}),
                tech.tablesaw.api.StringColumn.create("s", new String[] {"a,b", "say \"hi\""}));
        ReportWriter.csv(t, dir.resolve("t.csv"));
        assertEquals(List.of("x,s", "0.56,\"a,b\"", ",\"say \"\"hi\"\"\""), Files.readAllLines(dir.resolve("t.csv")));
    }

    @Test
    void wilsonIntervalMatchesHandWorkedValues() {
        // p = 0.5, n = 10: centre 0.5, half-width 1.96·sqrt(0.025 + 0.0096)/1.384 = 0.2634
        double[] w = Wilson.interval(0.5, 10);
        assertEquals(0.2366, w[0], 1e-4);
        assertEquals(0.7634, w[1], 1e-4);
        // never degenerate at the ends: 0/20 -> [0, 0.161], 20/20 -> [0.839, 1]
        assertEquals(0, Wilson.interval(0, 20)[0], 1e-12);
        assertEquals(0.1611, Wilson.interval(0, 20)[1], 1e-4);
        assertEquals(0.8389, Wilson.interval(1, 20)[0], 1e-4);
        assertTrue(Double.isNaN(Wilson.interval(0.5, 0)[0]), "unknown n: no interval");
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
