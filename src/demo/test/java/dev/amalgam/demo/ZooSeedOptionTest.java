package dev.amalgam.demo;

import dev.amalgam.AmalgamException;
import dev.amalgam.run.RunRecipe;
import dev.amalgam.run.SuiteKinds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code demo-image}'s {@code zoo_seed}: where each seed's zoo lives, and a bad value refused before any build. */
class ZooSeedOptionTest {
    @TempDir
    Path zoo;

    @Test
    void theStandardSeedKeepsTheStandardZooAndOthersGetTheirOwnDirectory() {
        assertEquals("image", ImageDemoSuite.zooDirName(7));
        assertEquals("image-seed-8", ImageDemoSuite.zooDirName(8));
        assertEquals(8, dev.amalgam.demo.image.ImageZoo.Options.standard().withSeed(8).seed());
    }

    @Test
    void aZooSeedThatIsNotAPositiveIntegerIsRefusedBeforeAnythingIsBuilt() throws Exception {
        new DemoSuiteKinds().registerKinds();
        SuiteKinds.check("demo-image", java.util.Set.of("zoo", "zoo_seed"), "r.yaml");
        RunRecipe.SuiteSpec spec = new RunRecipe.SuiteSpec("demo-image", Map.of("zoo", zoo.toString(), "zoo_seed", "eight"), zoo);
        AmalgamException e = assertThrows(AmalgamException.class, () -> SuiteKinds.open(spec, zoo, "r.yaml"));
        assertTrue(e.getMessage().contains("r.yaml: key 'suite.zoo_seed': expected a positive integer, got 'eight'"), e.getMessage());
        try (var files = Files.list(zoo)) {
            assertEquals(0, files.count(), "nothing built");
        }
    }
}
