package dev.amalgam.io;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteSizesTest {
    @Test
    void parsesHuggingFaceStyleSizes() {
        assertEquals(5_000_000_000L, ByteSizes.parse("5GB"));
        assertEquals(500_000_000L, ByteSizes.parse("500MB"));
        assertEquals(1_000_000_000L, ByteSizes.parse("1e9"));
        assertEquals(1_500_000_000L, ByteSizes.parse("1.5gb"));
        assertEquals(2L << 30, ByteSizes.parse("2GiB"));
        assertEquals(123, ByteSizes.parse("123"));
        assertEquals(100, ByteSizes.parse("100B"));
        for (String bad : new String[] {"", "GB", "5XB", "-1", "0", "1e30", "five"}) {
            assertThrows(AmalgamException.class, () -> ByteSizes.parse(bad), bad);
        }
    }

    @Test
    void sha256MatchesTheStandardVectorAndQuickHashSeesTheEnds(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path abc = Files.writeString(tmp.resolve("abc"), "abc", StandardCharsets.US_ASCII);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Provenance.sha256(abc));
        byte[] big = new byte[3 << 20];
        Path a = Files.write(tmp.resolve("a"), big);
        String before = Provenance.quickSha256(a);
        big[big.length - 1] = 1;
        Files.write(a, big);
        assertNotEquals(before, Provenance.quickSha256(a), "tail change");
        big[big.length - 1] = 0;
        big[big.length / 2] = 1;
        Files.write(a, big);
        assertEquals(before, Provenance.quickSha256(a), "quick hash does not read the middle (documented)");
        assertNotEquals(Provenance.inputsSha256(java.util.List.of(a), Provenance.Mode.QUICK),
                Provenance.inputsSha256(java.util.List.of(a), Provenance.Mode.FULL));
    }
}
