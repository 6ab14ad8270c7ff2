package dev.amalgam.eval.suites;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.train.Example;
import dev.amalgam.eval.datasets.ImageFolderDataset;
import dev.amalgam.eval.datasets.ImageFolderReader;
import dev.amalgam.eval.datasets.ManifestDatasets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a task's data in a user's local data root (see docs/datasets.md):
 * {@code <root>/<task>/manifest.yaml} when present, else the image folder
 * {@code <root>/<task>/<split>/<class dirs>}. For image folders, the task's class names (prompt
 * text) are used when the folder has as many class directories as the task has classes;
 * otherwise the directory names are the class names.
 */
public final class LocalTaskData {
    private LocalTaskData() {
    }

    public static Dataset<? extends Example> open(Path root, TaskSpec task, String split) {
        Path dir = root.resolve(task.name());
        if (!Files.isDirectory(dir)) {
            throw new AmalgamException(dir + ": no local data for task " + task.name() + " (see docs/datasets.md)");
        }
        return openDir(dir, task, split);
    }

    /** As {@link #open} with the task's data directory {@code dir} given, whatever its name. */
    public static Dataset<? extends Example> openDir(Path dir, TaskSpec task, String split) {
        Path manifest = dir.resolve("manifest.yaml");
        if (Files.isRegularFile(manifest)) {
            return ManifestDatasets.open(manifest, split);
        }
        Path splitDir = ImageFolderReader.splitDir(dir, split);
        ImageFolderDataset byDirs = ImageFolderReader.read(splitDir, null, null, task.name() + "/" + split);
        return byDirs.numClasses() == task.numClasses() ? byDirs.withClassNames(task.classes()) : byDirs;
    }

    /** Whether the task's data directory {@code dir} has split {@code split} (in its manifest, or as a folder). */
    public static boolean hasSplit(Path dir, String split) {
        Path manifest = dir.resolve("manifest.yaml");
        if (Files.isRegularFile(manifest)) {
            return dev.amalgam.eval.datasets.DatasetManifest.load(manifest).splitNames().contains(split);
        }
        return Files.isDirectory(dir.resolve(split));
    }
}
