package dev.amalgam.report;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** outcomes/&lt;id&gt;.bin: round trip, the size the format promises, and a corrupt file as one clear line. */
class OutcomesFileTest {

    @Test
    void roundTripsBitsetsAndCountsInTheDocumentedSize(@TempDir Path dir) throws IOException {
        int[] right = new int[13];
        for (int i = 0; i < right.length; i++) {
            right[i] = i % 3 == 0 ? 1 : 0;
        }
        Map<String, Outcomes> m = new LinkedHashMap<>();
        m.put("alpha", new Outcomes("0123456789abcdef", 1, right));
        m.put("ood:alpha/corruptions", new Outcomes("0123456789abcdef", 7, new int[] {0, 7, 3}));
        Path f = dir.resolve("outcomes").resolve("cell.bin");
        OutcomesFile.write(f, m);
        assertEquals(m, OutcomesFile.read(f));
        // magic + count, then per column: UTF key and fingerprint (2 + bytes), trials (1), n (4), hits
        long expected = 8 + (2 + 5 + 2 + 16 + 1 + 4 + 2) + (2 + 21 + 2 + 16 + 1 + 4 + 3);
        assertEquals(expected, Files.size(f));
    }

    @Test
    void aMissingFileIsNoOutcomesAndACorruptOneIsOneLine(@TempDir Path dir) throws IOException {
        assertTrue(OutcomesFile.read(dir.resolve("none.bin")).isEmpty());
        Path f = dir.resolve("bad.bin");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        AmalgamException e = assertThrows(AmalgamException.class, () -> OutcomesFile.read(f));
        assertEquals(f + ": not an outcomes file (bad magic)", e.getMessage());
    }

    @Test
    void fingerprintsTellSplitsApart() {
        int[] y = {0, 1, 2};
        assertEquals(Outcomes.fingerprint("a/test", y), Outcomes.fingerprint("a/test", new int[] {0, 1, 2}));
        assertNotEquals(Outcomes.fingerprint("a/test", y), Outcomes.fingerprint("a/ood", y));
        assertNotEquals(Outcomes.fingerprint("a/test", y), Outcomes.fingerprint("a/test", new int[] {0, 2, 1}));
        assertNotEquals(Outcomes.fingerprint("a/test", y, 4, 5, 6), Outcomes.fingerprint("a/test", y, 4, 5, 7));
        assertEquals(2.0 / 3, Outcomes.of(new int[] {0, 1, 1}, y, "f").mean(), 1e-12);
        assertEquals(new Outcomes("f", 2, new int[] {1, 2, 1}),
                Outcomes.sum(Outcomes.of(new int[] {0, 1, 1}, y, "f"), Outcomes.of(new int[] {1, 1, 2}, y, "f")));
    }
}
