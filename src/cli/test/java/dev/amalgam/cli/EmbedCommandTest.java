package dev.amalgam.cli;

import dev.amalgam.io.onnx.PackagedEncoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbedCommandTest {
    @TempDir
    Path tmp;

    /** Runs the CLI capturing stdout and stderr. */
    static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            int code = Main.execute(args);
            return new String[] {Integer.toString(code), o.toString(), e.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void embedsTextsWithThePackagedMiniLm() {
        Path onnx = PackagedEncoders.extract(PackagedEncoders.MINILM, Path.of("target", "packaged-encoders"));
        String[] r = run("embed", onnx.toString(), "--normalize", "A man is playing a guitar.", "Hello world");
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].strip().split("\n");
        assertEquals(2, lines.length, r[1]);
        assertTrue(lines[0].contains("dim=384") && lines[0].contains("norm=1.0000"), lines[0]);
    }

    @Test
    void aConvertedHuggingFaceDirectoryEmbedsTheSameAsTheOnnxFile() {
        Path onnx = PackagedEncoders.extract(PackagedEncoders.MINILM, Path.of("target", "packaged-encoders"));
        Path hf = tmp.resolve("hf");
        assertEquals("0", run("convert", onnx.toString(), hf.toString())[0]);
        String[] a = run("embed", onnx.toString(), "Merging models is fun.", "--max-length", "32");
        String[] b = run("embed", hf.toString(), "Merging models is fun.", "--max-length", "32");
        assertEquals("0", b[0], b[2]);
        assertEquals(a[1], b[1]);
    }

    @Test
    void aFileThatIsNotOnnxExitsWithCode2NamingIt() throws Exception {
        Path bad = tmp.resolve("broken.onnx");
        Files.writeString(bad, "definitely not a protobuf\n".repeat(10));
        String[] r = run("embed", bad.toString(), "text");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("broken.onnx") && !r[2].contains("\tat "), r[2]);
    }
}
