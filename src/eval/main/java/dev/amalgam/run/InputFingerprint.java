package dev.amalgam.run;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.Provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A quick fingerprint of the checkpoints behind a run's suite (the weight files under suite.zoo,
 * suite.pretrained and suite.models, each by {@link Provenance#quickSha256}: size, first and last MiB).
 * Cell ids are keyed by the recipe; this catches the other way cached cells go stale: the same recipe
 * over rebuilt or replaced checkpoints.
 */
public final class InputFingerprint {
    public static final String FILE = "inputs.sha256";
    private static final int MAX_DEPTH = 4;

    private InputFingerprint() {
    }

    public static String of(RunRecipe.SuiteSpec spec, Path home) {
        List<Path> roots = new ArrayList<>();
        Map<String, Object> o = spec.options();
        if (o.containsKey("zoo")) {
            roots.add(spec.baseDir().resolve(String.valueOf(o.get("zoo"))).normalize());
        } else if (spec.kind().startsWith("demo-")) {
            roots.add(home.resolve("models/zoo"));
        }
        if (o.containsKey("pretrained")) {
            roots.add(spec.baseDir().resolve(String.valueOf(o.get("pretrained"))).normalize());
        }
        if (o.get("models") instanceof Map<?, ?> models) {
            models.values().forEach(d -> roots.add(spec.baseDir().resolve(String.valueOf(d)).normalize()));
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path root : roots) {
                for (Path f : weightFiles(root)) {
                    md.update((f.toAbsolutePath().normalize() + "=" + Provenance.quickSha256(f) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code runDir} records a fingerprint different from {@code fingerprint} (none recorded: false). */
    public static boolean stale(Path runDir, String fingerprint) {
        Path file = runDir.resolve(FILE);
        try {
            return Files.isRegularFile(file) && !Files.readString(file).strip().equals(fingerprint);
        } catch (IOException e) {
            throw new AmalgamException(file + ": " + e.getMessage());
        }
    }

    /** Records the fingerprint the finished cells in {@code runDir} were computed from (atomic write). */
    public static void record(Path runDir, String fingerprint) {
        Path file = runDir.resolve(FILE);
        try {
            Files.createDirectories(runDir);
            Path tmp = runDir.resolve("." + FILE + ".tmp");
            Files.writeString(tmp, fingerprint + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AmalgamException(file + ": " + e.getMessage());
        }
    }

    private static TreeSet<Path> weightFiles(Path root) {
        TreeSet<Path> files = new TreeSet<>();
        if (Files.isRegularFile(root)) {
            files.add(root);
        } else if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
                s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
