package dev.amalgam.demo;

import dev.amalgam.eval.run.TextTaskSuite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's text half: the text zoo (built on first use) opened as a {@link TextTaskSuite}. */
public final class TextDemoSuite {
    private TextDemoSuite() {
    }

    /** Builds the zoo under {@code zooDir} if needed and opens it; {@code evalCap} caps each evaluated split. */
    public static TextTaskSuite open(Path zooDir, Path repoRoot, int evalCap) {
        TextZoo zoo = new TextZoo(zooDir);
        List<String> tasks = zoo.build(repoRoot);
        Map<String, Path> models = new LinkedHashMap<>();
        tasks.forEach(t -> models.put(t, zoo.model(t)));
        return new TextTaskSuite(zoo.pretrained(), zoo.data(), models, zoo.multiTask(), TextZoo.MAX_LENGTH, evalCap)
                .titled("Amalgam demo — text suite (all-MiniLM-L6-v2, " + tasks.size() + " real tasks, ID vs OOD)");
    }
}
