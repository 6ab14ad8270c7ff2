package dev.amalgam.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void plainLinesAtMostOncePerIntervalPlusFinal() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        LogProgress p = new LogProgress("merge", 100, new PrintStream(buf, true, StandardCharsets.UTF_8), 10_000, now::get);
        for (int i = 0; i < 50; i++) {
            now.addAndGet(100); // 50 steps in 5 s: no line yet
            p.step();
        }
        now.set(10_000);
        p.step(); // 51 done at 10 s -> one line
        p.message("layer 7");
        now.set(20_000);
        p.step(49);
        p.close();
        p.close(); // idempotent
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertEquals("merge: 51/100 (51%), 5.1/s, 10s, eta 10s", lines[0]);
        assertEquals("merge: 100/100 (100%), 5.0/s, 20s, layer 7", lines[1]);
        assertEquals("merge: 100/100 (100%), 5.0/s, 20s, layer 7 done", lines[2]);
    }

    @Test
    void liveBarOnlyOnAConsoleOutsideCiUnlessPlainIsAsked() {
        assertTrue(Progress.interactive(true, Map.of()));
        assertTrue(Progress.interactive(true, Map.of("CI", "false", "AMALGAM_PROGRESS", "bar")));
        assertFalse(Progress.interactive(false, Map.of()), "no console: plain lines");
        assertFalse(Progress.interactive(true, Map.of("CI", "true")));
        assertFalse(Progress.interactive(true, Map.of("CI", "TRUE")));
        assertFalse(Progress.interactive(true, Map.of("AMALGAM_PROGRESS", "Plain")));
    }
}
