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
 * The jars an exported model needs beside DJL: Amalgam itself (the jar holding the serving classes, or
 * one built from a classes directory when running unpackaged) and the JSON library it reads configs with.
 */
public final class AmalgamJar {
    public static final String JAR_NAME = "amalgam.jar";

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

    /** Writes Amalgam's jar to {@code target}: a copy of {@code explicit}, of the code-source jar, or a new jar. */
    public static void writeAmalgamJar(Path explicit, Path target) {
        Path src = explicit != null ? explicit : codeSource(AmalgamBlockFactory.class);
        try {
            if (Files.isRegularFile(src)) {
                Files.copy(src, target);
            } else if (explicit == null && Files.isDirectory(src)) {
                jarDirectory(src, target);
            } else {
                throw new AmalgamException(src + ": not a jar file (--amalgam-jar)");
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
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(os, mf);
             Stream<Path> files = Files.walk(classesDir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = classesDir.relativize(f).toString().replace('\\', '/');
                if (name.isEmpty() || name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                if (Files.isDirectory(f)) {
                    out.putNextEntry(new JarEntry(name + "/"));
                } else {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
    }
}
