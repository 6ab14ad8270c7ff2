package dev.amalgam.cli;

import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's shared conventions (issue #16): unknown commands, --out and --out-dtype everywhere, --lwptv's optional value. */
public class CliConsistencyTest {
    @TempDir
    Path tmp;

    /** Exit code and standard error of one {@link Main#execute} call. */
    public record Out(int code, String err) {
    }

    public static Out run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            return new Out(Main.execute(args), buf.toString());
        } finally {
            System.setErr(old);
        }
    }

    Path model(String name, float shift) {
        return TinyCheckpoints.builder().config("{\"model_type\":\"bert\"}")
                .f32("a.weight", new long[]{2, 2}, 1 + shift, 2, 3, 4 - shift).writeTo(tmp.resolve(name));
    }

    @Test
    void anUnknownCommandIsAnErrorEvenWithHelp() {
        Out o = run("amalgam", "--help");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("amalgam: error: unknown command 'amalgam'; commands: "), o.err());
    }

    @Test
    void messagesNeverSayErrorTwice() {
        assertEquals("bad thing", Main.bare("Error: bad thing"));
        assertEquals("bad thing", Main.bare("error: Error: bad thing"));
        assertEquals("x: error: y", Main.bare("x: error: y"));
    }

    @Test
    void convertTakesOutAsOptionOrPositionalAndOutDtype() throws Exception {
        Path in = model("in", 0);
        assertEquals(0, run("convert", in.toString(), "--out", tmp.resolve("o1").toString(), "--out-dtype", "bf16").code());
        assertEquals(0, run("convert", in.toString(), tmp.resolve("o2").toString(), "--dtype", "bf16").code());
        assertEquals(Files.readString(tmp.resolve("o1/config.json")), Files.readString(tmp.resolve("o2/config.json")));
        Out both = run("convert", in.toString(), tmp.resolve("o3").toString(), "--out", tmp.resolve("o4").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give the output directory once"), both.err());
    }

    @Test
    void lwptvWithoutOptionsLeavesTheRecipeAlone() throws Exception {
        Path base = model("base", 0);
        Path a = model("a", 0.5f);
        Path b = model("b", -0.25f);
        Path recipe = tmp.resolve("r.yaml");
        Files.writeString(recipe, "merge_method: task_arithmetic\nbase_model: " + base + "\nmodels: [" + a + ", " + b
                + "]\nparameters: {weight: 1}\n");
        Out o = run("merge", "--lwptv", recipe.toString(), "--out", tmp.resolve("m").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.exists(tmp.resolve("m/lwptv_masks.csv")));
        Out opts = run("merge", recipe.toString(), "--lwptv", "keep_ratio=0", "--out", tmp.resolve("m2").toString());
        assertEquals(0, opts.code(), opts.err());
        Out dtype = run("merge", recipe.toString(), "--dtype", "bf16", "--out", tmp.resolve("m3").toString());
        assertEquals(0, dtype.code(), dtype.err());
        assertTrue(Files.readString(tmp.resolve("m3/config.json")).contains("bfloat16"), "--dtype is also the output dtype");
    }
}
