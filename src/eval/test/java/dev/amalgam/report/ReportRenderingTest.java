package dev.amalgam.report;

import dev.amalgam.run.RepresentativeReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reports as a person sees them. Everywhere: every {@code <text>} of every chart lies, by its
 * estimated extent, inside its SVG's viewBox (nothing is clipped), for a representative run report
 * and for awkward ones (long names, one row, tiny and huge heatmap values). Where headless Chromium is
 * installed (/usr/bin/chromium, Debian's {@code chromium}): the report and each chart kind are rendered
 * to target/report-screenshots/*.png, the PNGs must show a real picture, and Chromium's own layout must
 * put every text inside its SVG; without Chromium that test is skipped.
 */
class ReportRenderingTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern SVG = Pattern.compile("<svg ([^>]*)>(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern TEXT = Pattern.compile("<text ([^>]*)>([^<]*)</text>");
    private static final Pattern ATTR = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");
    private static final Pattern ROTATE = Pattern.compile("rotate\\(([-0-9.]+) ([-0-9.]+) ([-0-9.]+)\\)");

    @TempDir
    Path tmp;

    /** The representative report plus reports built to stress the layout. */
    private Map<String, Report> reports() {
        Map<String, Report> m = new LinkedHashMap<>();
        m.put("representative", RepresentativeReport.build(tmp));
        m.put("sample", ReportTest.sample());
        String longName = "ties (density=0.2, λ=0.3, weight=1) + LwPTV (score=topk_share, k=20, rule=keep_ratio, keep_ratio=0.75)";
        List<String> tasks = List.of("a_task_with_a_rather_long_name", "b");
        ResultTable t = new ResultTable(tasks, List.of("a_task_with_a_rather_long_name/gaussian_noise", "b/ood"));
        t.add(longName, ResultTable.Kind.MERGED, Map.of(tasks.get(0), 1.0, "b", 0.0),
                Map.of("a_task_with_a_rather_long_name/gaussian_noise", 1.0, "b/ood", 0.0));
        t.add("Ω≈∑ wide ＷＩＤＥ", ResultTable.Kind.PRETRAINED, Map.of("b", 0.999), Map.of());
        t.examples("b", 7).examples("ood:b/ood", 12);
        List<String> layers = new ArrayList<>();
        double[][] v = new double[2][40];
        for (int l = 0; l < 40; l++) {
            layers.add("model.decoder.layers." + l + ".self_attn");
            v[0][l] = l == 0 ? 1e-7 : 12345.678 * l;
            v[1][l] = -0.5 * l;
        }
        Sweep s1 = new Sweep(longName + " ID avg", new double[] {0.5}, new double[] {0.999}, longName, "scaling_coef");
        Sweep s2 = new Sweep(longName + " OOD avg", new double[] {0.5}, new double[] {Double.NaN}, longName, "scaling_coef");
        m.put("stress", new Report("A title that is longer than any of the charts would be on its own, to see it is not cut",
                t, List.of(s1, s2), new Saliency(tasks, layers, v)));
        ResultTable one = new ResultTable(List.of("x"), List.of());
        one.add("only", ResultTable.Kind.MERGED, Map.of("x", 0.5), Map.of());
        m.put("single", new Report("single", one, List.of(), null));
        return m;
    }

    @Test
    void everyTextLiesInsideItsSvgViewBox() {
        int svgs = 0;
        int texts = 0;
        for (Map.Entry<String, Report> e : reports().entrySet()) {
            String html = HtmlReport.render(e.getValue());
            Matcher svg = SVG.matcher(html);
            while (svg.find()) {
                svgs++;
                Map<String, String> a = attrs(svg.group(1));
                String[] vb = a.get("viewBox").split(" ");
                double vx = Double.parseDouble(vb[0]);
                double vy = Double.parseDouble(vb[1]);
                double vw = Double.parseDouble(vb[2]);
                double vh = Double.parseDouble(vb[3]);
                assertEquals(vw, Double.parseDouble(a.get("width")), "1 px per unit: font sizes are what they say");
                assertEquals(vh, Double.parseDouble(a.get("height")));
                Matcher text = TEXT.matcher(svg.group(2));
                while (text.find()) {
                    texts++;
                    double[] b = extent(attrs(text.group(1)), unescape(text.group(2)));
                    String where = e.getKey() + ": '" + unescape(text.group(2)) + "' spans [" + fmt(b) + "] outside viewBox "
                            + a.get("viewBox");
                    assertTrue(b[0] >= vx && b[1] >= vy && b[2] <= vx + vw && b[3] <= vy + vh, where);
                }
            }
        }
        assertEquals(5 + 4 + 4 + 2, svgs, "bars, scatter, λ charts (TA, TIES) and heatmap; sample: one λ chart; single: no "
                + "λ chart, no heatmap");
        assertTrue(texts > 300, "texts checked: " + texts);
    }

    /**
     * The estimated box of a text, computed here independently of the chart code except for the
     * width estimate: anchor, font size, baseline and a rotate(a cx cy) transform as SVG applies them.
     */
    private static double[] extent(Map<String, String> a, String s) {
        double x = Double.parseDouble(a.get("x"));
        double y = Double.parseDouble(a.get("y"));
        double size = Double.parseDouble(a.get("font-size"));
        double w = Svg.width(s, size) * ("bold".equals(a.get("font-weight")) ? Svg.BOLD : 1);
        String anchor = a.getOrDefault("text-anchor", "start");
        double x0 = anchor.equals("middle") ? x - w / 2 : anchor.equals("end") ? x - w : x;
        double[][] corners = {{x0, y - 0.95 * size}, {x0 + w, y - 0.95 * size}, {x0, y + 0.3 * size}, {x0 + w, y + 0.3 * size}};
        double deg = 0;
        double cx = 0;
        double cy = 0;
        if (a.containsKey("transform")) {
            Matcher r = ROTATE.matcher(a.get("transform"));
            assertTrue(r.matches(), a.get("transform"));
            deg = Double.parseDouble(r.group(1));
            cx = Double.parseDouble(r.group(2));
            cy = Double.parseDouble(r.group(3));
        }
        double rad = Math.toRadians(deg);
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : corners) {
            double px = cx + (p[0] - cx) * Math.cos(rad) - (p[1] - cy) * Math.sin(rad);
            double py = cy + (p[0] - cx) * Math.sin(rad) + (p[1] - cy) * Math.cos(rad);
            b[0] = Math.min(b[0], px);
            b[1] = Math.min(b[1], py);
            b[2] = Math.max(b[2], px);
            b[3] = Math.max(b[3], py);
        }
        return b;
    }

    private static Map<String, String> attrs(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher a = ATTR.matcher(s);
        while (a.find()) {
            m.put(a.group(1), a.group(2));
        }
        Matcher vb = Pattern.compile("viewBox=\"([^\"]*)\"").matcher(s);
        if (vb.find()) {
            m.put("viewBox", vb.group(1));
        }
        return m;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    private static String fmt(double[] b) {
        return String.format(java.util.Locale.ROOT, "%.1f %.1f %.1f %.1f", b[0], b[1], b[2], b[3]);
    }

    // ---------------------------------------------------------------- headless Chromium

    /** Appended to a copy of a page: lists every text whose rendered box leaves its svg, into #clip-check. */
    private static final String CLIP_SCRIPT = "<script>window.addEventListener('load',function(){var bad=[];var n=0;"
            + "document.querySelectorAll('svg').forEach(function(svg){var s=svg.getBoundingClientRect();"
            + "svg.querySelectorAll('text').forEach(function(t){n++;var r=t.getBoundingClientRect();"
            + "if(r.left<s.left-0.5||r.top<s.top-0.5||r.right>s.right+0.5||r.bottom>s.bottom+0.5)"
            + "bad.push(t.textContent+' ['+[r.left-s.left,r.top-s.top,s.right-r.right,s.bottom-r.bottom].map(Math.round)+']');});});"
            + "var p=document.createElement('pre');p.id='clip-check';p.textContent='texts='+n+'\\n'+bad.join('\\n');"
            + "document.body.appendChild(p);});</script>";

    @Test
    @Tag("slow") // headless Chromium
    void chromiumScreenshotsOfEveryKind() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium not installed (/usr/bin/chromium; Debian package "
                + "'chromium'): screenshots skipped");
        Path out = Path.of("target", "report-screenshots").toAbsolutePath();
        Files.createDirectories(out);
        Report report = RepresentativeReport.build(tmp);
        ReportWriter.write(report, out.resolve("report"));
        String html = Files.readString(out.resolve("report/report.html"));
        shoot(out.resolve("report/report.html"), out.resolve("report.png"), 1400, 3000);

        // each kind on its own page, sized to it
        String head = html.substring(0, html.indexOf("<body>") + "<body>".length());
        Map<String, String> kinds = new LinkedHashMap<>();
        List<String> svgs = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        while (m.find()) {
            svgs.add(m.group());
        }
        kinds.put("bars", svgs.get(0));
        kinds.put("scatter", svgs.get(1));
        kinds.put("lambda", svgs.get(2));
        kinds.put("lambda-variants", svgs.get(3));
        kinds.put("heatmap", svgs.get(svgs.size() - 1));
        kinds.put("tables", HtmlReport.results(report.results()) + HtmlReport.table(report.tables().get(0)));
        for (Map.Entry<String, String> k : kinds.entrySet()) {
            Path page = out.resolve(k.getKey() + ".html");
            Files.writeString(page, head + k.getValue() + "</body></html>\n", StandardCharsets.UTF_8);
            int[] size = k.getKey().equals("tables") ? new int[] {1400, 1500} : svgSize(k.getValue());
            Path png = out.resolve(k.getKey() + ".png");
            shoot(page, png, size[0], size[1]);
            assertPicture(png);
        }
        assertPicture(out.resolve("report.png"));

        // Chromium's own text layout: no text leaves its svg, in any chart of any of the reports above
        StringBuilder all = new StringBuilder(head);
        for (Report r : reports().values()) {
            Matcher each = SVG.matcher(HtmlReport.render(r));
            while (each.find()) {
                all.append("<figure>").append(each.group()).append("</figure>\n");
            }
        }
        Path checked = out.resolve("clip-check.html");
        Files.writeString(checked, all + CLIP_SCRIPT + "</body></html>\n", StandardCharsets.UTF_8);
        String dom = chromium(List.of("--dump-dom", "--virtual-time-budget=5000", checked.toUri().toString()));
        Matcher check = Pattern.compile("<pre id=\"clip-check\">([^<]*)</pre>").matcher(dom);
        assertTrue(check.find(), "clip check did not run");
        String[] lines = check.group(1).split("\n");
        assertTrue(Integer.parseInt(lines[0].substring("texts=".length())) > 300, lines[0]);
        assertEquals(1, lines.length, "texts outside their svg as Chromium lays them out:\n" + check.group(1));
    }

    private static int[] svgSize(String svg) {
        Map<String, String> a = attrs(svg.substring(0, svg.indexOf('>')));
        return new int[] {(int) Double.parseDouble(a.get("width")) + 70, (int) Double.parseDouble(a.get("height")) + 70};
    }

    private void shoot(Path page, Path png, int w, int h) throws Exception {
        Files.deleteIfExists(png);
        chromium(List.of("--screenshot=" + png, "--window-size=" + w + "," + h, "--hide-scrollbars", page.toUri().toString()));
        assertTrue(Files.isRegularFile(png), "chromium wrote no " + png);
    }

    private String chromium(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium")));
        cmd.addAll(args);
        Path log = Files.createTempFile(tmp, "chromium", ".err");
        Path stdout = Files.createTempFile(tmp, "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(stdout.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium timed out: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + cmd + "\n" + Files.readString(log));
        return Files.readString(stdout);
    }

    /** A real picture: a decodable PNG with ink on a good part of it and many colours (text antialiasing, charts). */
    private static void assertPicture(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() > 300 && img.getHeight() > 200, png + ": not an image of a page");
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    ink++;
                }
            }
        }
        long sampled = (long) ((img.getWidth() + 1) / 2) * ((img.getHeight() + 1) / 2);
        assertTrue(colours.size() > 50, png + ": only " + colours.size() + " colours");
        assertTrue(ink > sampled / 100, png + ": almost blank (" + ink + " of " + sampled + " pixels not white)");
    }
}
