package dev.amalgam.serving;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Predictor latency (p50/p95 over 200 predictions after 20 warm-up) of a BERT text classifier exported
 * with 'amalgam export' and loaded from the directory through DJL Criteria in a JVM that sees only DJL +
 * libs/ (as {@link DjlServingExportTest}). Random weights: the tiny test shape and the all-MiniLM-L6 shape.
 * Run with {@code mvn -o test -Damalgam.bench=true -Dtest=ServedLatencyBenchmark}.
 */
@EnabledIfSystemProperty(named = "amalgam.bench", matches = "true")
class ServedLatencyBenchmark {
    static final String TEXT = "the movie was not very good and the acting was awful but the plot was fine "
            + "and the acting was great";

    @TempDir
    Path tmp;

    @Test
    void predictorLatency() throws Exception {
        Path jar = tmp.resolve("amalgam.jar");
        AmalgamJar.mergeInto(AmalgamJar.moduleSources(), jar);
        record Shape(String name, int hidden, int layers, int heads, int ffn) {
        }
        for (Shape s : List.of(new Shape("tiny (16 hidden, 2 layers)", 16, 2, 2, 32),
                new Shape("MiniLM-L6 shape (384 hidden, 6 layers)", 384, 6, 12, 1536))) {
            Path ckpt = TinyModels.bertClassifier(tmp.resolve("ckpt-" + s.hidden()), 5, "auto", s.hidden(), s.layers(),
                    s.heads(), s.ffn());
            Path out = tmp.resolve("served-" + s.hidden());
            assertEquals(0, dev.amalgam.cli.Main.execute("export", ckpt.toString(), "--out", out.toString(),
                    "--amalgam-jar", jar.toString()));
            List<String> lines = ServedModelRunner.run(out.resolve("libs"), tmp, "latency", out.toString(), "200", TEXT);
            System.out.println("BENCH " + s.name() + ", " + TEXT.split(" ").length + " words: "
                    + DjlServingExportTest.value(lines, "LATENCY"));
        }
    }
}
