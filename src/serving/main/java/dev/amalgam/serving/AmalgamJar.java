package dev.amalgam.serving;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The jars an exported model needs beside DJL: Amalgam itself, as one {@code amalgam.jar} merged from the modules
 * the serving classes use (core, models, train, eval, serving: each a jar, or a classes directory when running
 * unpackaged), and the JSON library it reads configs with.
 */
public final class AmalgamJar {
    public static final String JAR_NAME = "amalgam.jar";

    /** One class from each module a served model loads classes from, lowest first. */
    private static final List<Class<?>> MODULE_MARKERS = List.of(AmalgamException.class,
            dev.amalgam.model.HfModelBlock.class, dev.amalgam.train.FineTunedHead.class,
            dev.amalgam.eval.run.EvaluationSuite.class, AmalgamBlockFactory.class);

    private AmalgamJar() {
    }

    /** Where a class was loaded from: a jar file or a classes directory. */
    public static Path codeSource(Class<?> c) {
        try {
            var cs = c.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                throw new AmalgamException("cannot locate the jar of " + c.getName() + "; pass --amalgam-jar");
            }
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AmalgamException("cannot locate the jar of " + c.getName() + " (" + e.getMessage() + ")");
        }
    }

    /** The jars or classes directories of the modules a served model needs, lowest module first, each once. */
    public static List<Path> moduleSources() {
        List<Path> out = new ArrayList<>();
        for (Class<?> c : MODULE_MARKERS) {
            Path p = codeSource(c);
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Writes Amalgam's jar to {@code target}: a copy of {@code explicit}, else the modules merged into one jar. */
    public static void writeAmalgamJar(Path explicit, Path target) {
        try {
            if (explicit == null) {
                mergeInto(moduleSources(), target);
            } else if (Files.isRegularFile(explicit)) {
                Files.copy(explicit, target);
            } else {
                throw new AmalgamException(explicit + ": not a jar file (--amalgam-jar)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runtime dependencies of the serving classes that DJL does not bring (Jackson). */
    public static List<Path> dependencyJars() {
        List<Path> jars = new ArrayList<>();
        for (Class<?> c : List.of(ObjectMapper.class, JsonFactory.class, JsonAutoDetect.class)) {
            Path p = codeSource(c);
            if (Files.isRegularFile(p) && !jars.contains(p)) {
                jars.add(p);
            }
        }
        return jars;
    }

    /** A jar of every file under {@code classesDir} (class files and resources). */
    public static void jarDirectory(Path classesDir, Path jar) throws IOException {
        mergeInto(List.of(classesDir), jar);
    }

    /**
     * One jar holding every entry of {@code sources} (jars or classes directories), in sorted order within each
     * source. {@code META-INF/services} files present in several sources are concatenated, so that every module's
     * services stay registered; any other duplicate keeps the first source's copy. Manifests are not carried.
     */
    public static void mergeInto(List<Path> sources, Path jar) throws IOException {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        for (Path src : sources) {
            for (java.util.Map.Entry<String, byte[]> e : read(src).entrySet()) {
                String name = e.getKey();
                byte[] prev = entries.get(name);
                if (prev != null && name.startsWith("META-INF/services/") && !name.endsWith("/")) {
                    byte[] both = new byte[prev.length + 1 + e.getValue().length];
                    System.arraycopy(prev, 0, both, 0, prev.length);
                    both[prev.length] = '\n';
                    System.arraycopy(e.getValue(), 0, both, prev.length + 1, e.getValue().length);
                    entries.put(name, both);
                } else if (prev == null) {
                    entries.put(name, e.getValue());
                }
            }
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf)) {
            for (java.util.Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                if (!e.getKey().endsWith("/")) {
                    out.write(e.getValue());
                }
                out.closeEntry();
            }
        }
    }

    /** The entries of a jar or a classes directory (directories end with '/'), manifest left out. */
    private static java.util.Map<String, byte[]> read(Path src) throws IOException {
        java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        if (Files.isDirectory(src)) {
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    String name = src.relativize(f).toString().replace('\\', '/');
                    if (name.isEmpty() || name.equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    out.put(Files.isDirectory(f) ? name + "/" : name, Files.isDirectory(f) ? new byte[0] : Files.readAllBytes(f));
                }
            }
            return out;
        }
        try (java.util.jar.JarFile jf = new java.util.jar.JarFile(src.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jf.stream().sorted(java.util.Comparator.comparing(JarEntry::getName))::iterator) {
                if (e.getName().equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                try (var in = jf.getInputStream(e)) {
                    out.put(e.getName(), e.isDirectory() ? new byte[0] : in.readAllBytes());
                }
            }
        }
        return out;
    }
}
