package dev.amalgam.examples;

import dev.amalgam.run.TinyTextZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every example's main on a tiny text zoo (random BERTs with word-rule tasks) and checks what it prints. */
class ExamplesTest {
    @TempDir
    Path root;

    @Test
    void mergeAndEvaluatePrintsEveryFinetuneAndTheMergeOnEveryTask() throws Exception {
        TinyTextZoo.write(root);
        String out = run(() -> MergeAndEvaluate.main(new String[]{root.resolve("pretrained").toString(),
                root.resolve("data").toString(), "alpha=" + root.resolve("models/alpha"), "beta=" + root.resolve("models/beta")}));
        System.out.print(out);
        for (String task : new String[]{"alpha", "beta"}) {
            assertTrue(Pattern.compile("fine-tune " + task + " +ID (0|1)\\.\\d{3} on its task").matcher(out).find(), out);
            Matcher m = Pattern.compile("TIES merge  ID (\\d\\.\\d{3}) OOD (\\d\\.\\d{3}) on " + task).matcher(out);
            assertTrue(m.find(), out);
        }
    }

    @Test
    void loadWithCriteriaClassifiesEveryText() throws Exception {
        TinyTextZoo.write(root);
        String out = run(() -> LoadWithCriteria.main(new String[]{root.resolve("pretrained").toString(),
                root.resolve("models/alpha").toString(), root.resolve("models/beta").toString(),
                root.resolve("out").toString(), "a good movie", "an awful actor"}));
        System.out.print(out);
        assertEquals(2, out.lines().filter(l -> l.matches(".* -> \\S+ \\((0|1)\\.\\d{3}\\)")).count(), out);
        assertTrue(root.resolve("out/served/serving.properties").toFile().isFile());
    }

    interface Body {
        void run() throws Exception;
    }

    private static String run(Body body) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }
}
