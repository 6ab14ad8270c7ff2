package dev.amalgam.serving;

import dev.amalgam.serving.probe.ServedModelProbe;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Runs {@link ServedModelProbe} in a fresh JVM whose class path is DJL's jars (and their own
 * dependencies: gson, jna, commons-compress, slf4j) + an exported model's {@code libs/*.jar} + the
 * probe class alone: no Amalgam class from the test class path can be seen, only the exported jar.
 * A separate JVM (not a URLClassLoader in this one) because libtorch's JNI library can be bound to
 * only one class loader per process, and this JVM has loaded it already.
 */
final class ServedModelRunner {
    private static final List<String> DJL_SIDE = List.of("/ai/djl/", "/com/google/code/gson/", "/net/java/dev/jna/",
            "/org/apache/commons/commons-compress/", "/commons-io/", "/commons-codec/", "/org/slf4j/");

    private ServedModelRunner() {
    }

    static List<String> run(Path libsDir, Path cacheDir, String... args) {
        return run(libsDir, true, cacheDir, args);
    }

    /** With {@code libsOnClassPath} false, the probe gets DJL only and must load libs/ itself. */
    static List<String> run(Path libsDir, boolean libsOnClassPath, Path cacheDir, String... args) {
        try {
            List<String> cp = new ArrayList<>(djlJars());
            Files.createDirectories(cacheDir.resolve("no-libs"));
            try (Stream<Path> s = Files.list(libsOnClassPath ? libsDir : cacheDir.resolve("no-libs"))) {
                s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
            }
            cp.add(probeClasses(cacheDir).toString());
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-DENGINE_CACHE_DIR=" + ai.djl.util.Utils.getEngineCacheDir(),
                    "-DDJL_CACHE_DIR=" + cacheDir.resolve("djl-cache"),
                    "-cp", String.join(File.pathSeparator, cp), ServedModelProbe.class.getName()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0) {
                throw new AssertionError("served-model probe exited " + code + ":\n" + out);
            }
            return out.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** DJL's jars from this JVM's class path (surefire's manifest-only booter jar expanded). */
    static List<String> djlJars() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("surefirebooter") && e.endsWith(".jar")) {
                try (JarFile jar = new JarFile(e)) {
                    String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String u : cp.trim().split("\\s+")) {
                        entries.add(Path.of(URI.create(u)).toString());
                    }
                }
            } else {
                entries.add(e);
            }
        }
        List<String> djl = new ArrayList<>();
        for (String e : entries) {
            String unix = e.replace('\\', '/');
            if (e.endsWith(".jar") && DJL_SIDE.stream().anyMatch(unix::contains)) {
                djl.add(e);
            }
        }
        if (djl.stream().noneMatch(s -> s.contains("pytorch-native-cpu"))) {
            throw new IllegalStateException("DJL jars not found on the class path: " + entries);
        }
        return djl;
    }

    /** A directory holding only the probe's class files. */
    private static Path probeClasses(Path tmp) throws IOException {
        Path dir = tmp.resolve("probe-classes");
        if (Files.isDirectory(dir)) {
            return dir;
        }
        String pkg = ServedModelProbe.class.getPackageName().replace('.', '/');
        Path src;
        try {
            src = Path.of(ServedModelProbe.class.getResource("ServedModelProbe.class").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path target = Files.createDirectories(dir.resolve(pkg));
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : (Iterable<Path>) s.filter(f -> f.getFileName().toString().startsWith("ServedModelProbe"))::iterator) {
                Files.copy(f, target.resolve(f.getFileName().toString()));
            }
        }
        return dir;
    }
}
