package dev.amalgam.eval.datasets.text;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the text suite: for every task {@code outDir/<task>/{train,val,test,ood}.jsonl} and
 * {@code outDir/tasks.json}. Nothing is rebuilt when the manifest's hash matches the options and raw inputs
 * and all files are present. The manifest is written last, so an interrupted build is redone.
 */
public final class TextSuiteBuilder {

    private TextSuiteBuilder() {
    }

    public static TextSuiteManifest build(Path outDir, TextSuiteOptions opt) throws IOException {
        List<TextSource> sources = opt.tasks().stream().map(opt::source).toList();
        sources.forEach(TextSource::requireInstalled);
        String hash = buildHash(opt, sources);
        if (Files.isRegularFile(outDir.resolve(TextSuiteManifest.FILE_NAME))) {
            TextSuiteManifest existing = TextSuiteManifest.read(outDir);
            if (hash.equals(existing.buildHash()) && filesPresent(outDir, existing)) {
                return existing;
            }
        }
        List<TextSuiteManifest.Task> tasks = new ArrayList<>();
        for (TextSource source : sources) {
            RawTask raw = source.load(opt.maxChars());
            TaskSplits splits = SplitPlanner.plan(raw, opt);
            Map<String, TextSuiteManifest.Split> files = new LinkedHashMap<>();
            for (String name : TaskSplits.NAMES) {
                List<LabeledText> items = splits.get(name);
                if (items.isEmpty()) {
                    throw new AmalgamException("text-suite task " + raw.name() + " has an empty " + name
                            + " split; the raw source under " + source.inputFiles().get(0).getParent() + " looks incomplete");
                }
                String rel = raw.name() + "/" + name + ".jsonl";
                TextJsonl.write(outDir.resolve(rel), items);
                files.put(name, new TextSuiteManifest.Split(rel, items.size(), perLabel(items, raw.labels().size())));
            }
            tasks.add(new TextSuiteManifest.Task(raw.name(), raw.labels(), raw.source(), raw.oodShift(), files));
        }
        TextSuiteManifest manifest = new TextSuiteManifest(TextSuiteManifest.FORMAT, hash, opt.seed(), opt.maxChars(), tasks);
        manifest.write(outDir);
        return manifest;
    }

    static List<Integer> perLabel(List<LabeledText> items, int k) {
        int[] counts = new int[k];
        items.forEach(t -> counts[t.label()]++);
        List<Integer> out = new ArrayList<>();
        for (int c : counts) {
            out.add(c);
        }
        return out;
    }

    private static boolean filesPresent(Path outDir, TextSuiteManifest m) {
        return m.tasks().stream().flatMap(t -> t.splits().values().stream())
                .allMatch(s -> Files.isRegularFile(outDir.resolve(s.file())));
    }

    private static String buildHash(TextSuiteOptions opt, List<TextSource> sources) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder key = new StringBuilder(TextSuiteManifest.FORMAT).append('\n')
                .append(opt.seed()).append(' ').append(opt.trainCap()).append(' ').append(opt.valCap()).append(' ')
                .append(opt.testCap()).append(' ').append(opt.oodCap()).append(' ').append(opt.maxChars()).append('\n');
        for (TextSource s : sources) {
            key.append(s.taskName()).append('\n');
            for (Path p : s.inputFiles()) {
                key.append(p.getFileName()).append(' ').append(Files.size(p)).append('\n');
            }
        }
        return HexFormat.of().formatHex(sha.digest(key.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
