package dev.amalgam.eval.suites;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.train.Example;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuitesTest {

    @Test
    void builtinSuitesMatchThePaperTaskLists() {
        SuiteCatalog cat = SuiteCatalog.builtin();
        assertEquals(List.of("sun397", "stanford_cars", "resisc45", "eurosat", "svhn", "gtsrb", "mnist", "dtd"),
                cat.suite("TA8").tasks());
        assertEquals(14, cat.suite("tall14").tasks().size());
        assertEquals(20, cat.suite("TALL20").tasks().size());
        assertEquals(cat.suite("ta8").tasks(), cat.suite("tall14").tasks().subList(0, 8));
        assertEquals(cat.suite("tall14").tasks(), cat.suite("tall20").tasks().subList(0, 14));
        // class counts of the public datasets
        int[] expected = {397, 196, 45, 10, 10, 43, 10, 47, 102, 2, 7, 37, 10, 100, 10, 101, 10, 26, 10, 2};
        List<TaskSpec> tasks = cat.tasksOf("tall20");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], tasks.get(i).classes().size(), tasks.get(i).name());
            assertTrue(tasks.get(i).templates().stream().allMatch(t -> t.contains("{}")), tasks.get(i).name());
        }
        TaskSpec gtsrb = cat.task("gtsrb");
        assertEquals(3, gtsrb.templates().size()); // FusionBench's GTSRB template set has 3 (docs/datasets.md)
        assertEquals("a photo of the number: \"{}\".", cat.task("mnist").templates().get(0));
        assertThrows(AmalgamException.class, () -> cat.suite("ta9"));
    }

    @Test
    void directoryCatalogEqualsClasspathCopy() {
        SuiteCatalog dir = SuiteCatalog.fromDirectory(Path.of("eval/suites"));
        SuiteCatalog cp = SuiteCatalog.builtin();
        for (String t : cp.taskNames()) {
            assertEquals(cp.task(t), dir.task(t));
        }
    }

    @Test
    void localImageFolderUsesTaskClassNamesWhenCountsMatch(@TempDir Path root) throws IOException {
        TaskSpec pcam = SuiteCatalog.builtin().task("pcam");
        for (String d : List.of("0", "1")) {
            Path f = root.resolve("pcam/test/" + d + "/img.png");
            Files.createDirectories(f.getParent());
            ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", f.toFile());
        }
        Dataset<? extends Example> d = LocalTaskData.open(root, pcam, "test");
        assertEquals(pcam.classes(), d.classNames());
        assertEquals(2, d.size());
        assertThrows(AmalgamException.class, () -> LocalTaskData.open(root, SuiteCatalog.builtin().task("dtd"), "test"));
    }
}
