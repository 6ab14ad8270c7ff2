package dev.amalgam.cli;

import ai.djl.ndarray.NDManager;
import dev.amalgam.model.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam generate} on the tiny GPT-2 fixture; expected ids from the python3-torch reference. */
class GenerateCommandTest {

    @Test
    void generatesTheReferenceGreedyTokens() {
        Path dir = Fixtures.dir("gpt2", "tiny");
        String expectedIds;
        try (NDManager m = NDManager.newBaseManager()) {
            expectedIds = Arrays.toString(Fixtures.longs(Fixtures.expected(dir, m).get("cli_greedy_ids")));
        }
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true));
            rc = Main.execute("generate", dir.toString(), "hello world", "--max-new-tokens", "6", "--show-ids");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertEquals(0, rc, out);
        assertTrue(out.startsWith("hello world"), out);
        assertTrue(out.contains("prompt ids: [259, 264]"), out);
        assertTrue(out.contains("generated ids: " + expectedIds), out);
    }

    @Test
    void tooManyTokensForLearnedPositionsIsExitCode2() {
        // the tiny GPT-2 has n_positions 32; 2 prompt tokens + 31 new tokens do not fit
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("generate", Fixtures.dir("gpt2", "tiny").toString(), "hello world",
                "--max-new-tokens", "31"));
    }

    @Test
    void missingModelDirectoryIsExitCode2() {
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("generate", "/nonexistent/model", "hi"));
    }
}
