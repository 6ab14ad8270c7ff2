package dev.amalgam.run;

import dev.amalgam.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --dry-run} checks the suite's paths and task names without loading a model. */
class RunDryRunTest {
    @TempDir
    Path tmp;

    String dryRun(String yaml) throws Exception {
        Path f = tmp.resolve("r.yaml");
        Files.writeString(f, yaml);
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertEquals(2, Main.execute("run", f.toString(), "--dry-run", "--out", tmp.resolve("out").toString()), buf.toString());
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void missingPathsAndUnknownTasksFailBeforeAnythingRuns() throws Exception {
        Files.createDirectories(tmp.resolve("pre"));
        Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(tmp.resolve("ft-a"));
        String suite = "name: t\nsuite: {kind: text, pretrained: pre, data: data, models: {a: ft-a, b: ft-b}}\n";
        String err = dryRun(suite + "methods: [emr]\n");
        assertTrue(err.contains("key 'suite.models.b'") && err.contains("does not exist"), err);
        Files.createDirectories(tmp.resolve("ft-b"));
        err = dryRun(suite + "tasks: [a, c]\nmethods: [emr]\n");
        assertTrue(err.contains("key 'tasks': unknown task 'c'"), err);
        err = dryRun("name: t\nsuite: {kind: text, pretrained: ../models/zoo/text/pretrained, data: data, models: {a: ft-a}}\n"
                + "methods: [emr]\n");
        assertTrue(err.contains("key 'suite.pretrained'") && err.contains("./amalgam demo"), err);
    }
}
