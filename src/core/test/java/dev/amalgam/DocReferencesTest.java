package dev.amalgam;

import dev.amalgam.testutil.RepoRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project owns its specifications (issue #13): every {@code docs/….md} a source file cites exists
 * in the repository, every {@code docs/methods/X.md §N} names a section X.md has, and nothing cites a
 * file outside the repository (the reference notes sessions were given, a bare method-notes file name).
 */
class DocReferencesTest {
    private static final Set<String> SCANNED = Set.of("java", "xml", "yaml", "yml", "sh", "py", "properties");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", "npm", "zoo", "runs", "tmp");
    private static final Pattern DOC = Pattern.compile("docs/[A-Za-z0-9_./-]*?\\.md");
    private static final Pattern SECTION = Pattern.compile("(docs/methods/[A-Za-z0-9_-]+\\.md) §([0-9]+(?:\\.[0-9]+)?|[A-Z][A-Za-z-]+)");
    /** References to files outside the repository; split so this file does not match itself. */
    private static final List<Pattern> OUTSIDE = List.of(
            Pattern.compile("shared/" + "reference"),
            Pattern.compile("/work" + "/"),
            Pattern.compile("\\b(anchors|mergekit-semantics|djl-notes|scale-notes)\\." + "md"),
            Pattern.compile("(?<!docs/methods/)\\bmerge-methods\\." + "md"),
            Pattern.compile("(?<![A-Za-z0-9_./-])[a-z][a-z0-9-]*\\." + "md §"));

    private static List<Path> sources(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                return !dir.equals(root) && (SKIPPED_DIRS.contains(dir.getFileName().toString())
                        || dir.getFileName().toString().startsWith("."))
                        ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                String name = file.getFileName().toString();
                String ext = name.substring(name.lastIndexOf('.') + 1);
                if ((SCANNED.contains(ext) || name.equals("amalgam")) && a.size() < 1_000_000
                        && !name.equals("DocReferencesTest.java")) {
                    out.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.nio.charset.MalformedInputException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code doc} has section {@code section}: a heading "## N." / "### N.M", or a word in a heading or bold. */
    static boolean hasSection(String doc, String section) {
        if (Character.isDigit(section.charAt(0))) {
            return Pattern.compile("(?m)^#{2,4} " + Pattern.quote(section) + "[. ]").matcher(doc).find();
        }
        return Pattern.compile("(?m)^#{2,4} .*\\b" + Pattern.quote(section) + "\\b").matcher(doc).find()
                || doc.contains("**" + section);
    }

    @Test
    void everyCitedDocumentAndSectionExistsAndNothingOutsideTheRepositoryIsCited() throws IOException {
        Path root = RepoRoot.find();
        List<Path> files = sources(root);
        assertTrue(files.size() > 100, "scanned " + files.size() + " files under " + root);
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            String text = read(f);
            String where = root.relativize(f).toString();
            Matcher m = DOC.matcher(text);
            while (m.find()) {
                if (!Files.isRegularFile(root.resolve(m.group()))) {
                    problems.add(where + ": cites " + m.group() + ", which does not exist");
                }
            }
            Matcher s = SECTION.matcher(text);
            while (s.find()) {
                Path doc = root.resolve(s.group(1));
                if (Files.isRegularFile(doc) && !hasSection(read(doc), s.group(2))) {
                    problems.add(where + ": cites " + s.group() + ", a section " + s.group(1) + " does not have");
                }
            }
            for (Pattern p : OUTSIDE) {
                Matcher o = p.matcher(text);
                if (o.find()) {
                    problems.add(where + ": cites '" + o.group() + "', outside the repository");
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
    }

    @Test
    void theChecksCatchWhatTheyAreFor() {
        String doc = "# T\n## 4. EMR\n### 16.2 Keys\n- **Optimiser:** Adam\n";
        assertTrue(hasSection(doc, "4"));
        assertTrue(hasSection(doc, "16.2"));
        assertTrue(hasSection(doc, "Optimiser"));
        assertTrue(!hasSection(doc, "1") && !hasSection(doc, "16.3") && !hasSection(doc, "Objective"));
        assertTrue(OUTSIDE.get(3).matcher("see merge-methods." + "md §4").find(), "a bare notes file name");
        assertTrue(!OUTSIDE.get(3).matcher("see docs/methods/merge-methods." + "md §4").find(), "the repository's file");
        assertTrue(OUTSIDE.get(4).matcher("(anchors." + "md §4: three templates)").find());
    }
}
