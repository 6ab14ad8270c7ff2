package dev.amalgam.eval.datasets.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Deterministic, class-balanced splitting of a {@link RawTask}:
 * <ol>
 *   <li>dedupe texts (case-insensitive) over ID and OOD together: a text seen with two labels is dropped,
 *       a repeat keeps its first occurrence (ID before OOD, so OOD never repeats an ID text);</li>
 *   <li>OOD: per label a seeded sample of {@code min(smallest label pool, oodCap / labels)};</li>
 *   <li>ID: groups sampled for OOD are removed; per label the groups are shuffled and cut into
 *       test/val/train in proportion to the caps, then each split takes the same number per label
 *       ({@code min(smallest label pool, cap / labels)}).</li>
 * </ol>
 * Every random choice uses its own {@link Random} seeded from (seed, task, purpose), after sorting the
 * candidates, so the result depends only on the inputs and the options.
 */
final class SplitPlanner {

    private SplitPlanner() {
    }

    static TaskSplits plan(RawTask task, TextSuiteOptions opt) {
        int k = task.labels().size();
        Set<String> conflicting = conflictingTexts(task);
        Set<String> seen = new HashSet<>();
        List<LabeledText> id = dedupe(task.id(), conflicting, seen);
        List<LabeledText> ood = dedupe(task.ood(), conflicting, seen);

        List<LabeledText> oodSplit = balancedSample(byLabel(ood, k), opt.oodCap() / k, rng(opt, task, "ood"));
        Set<String> oodGroups = new HashSet<>();
        oodSplit.forEach(t -> oodGroups.add(t.group()));
        List<LabeledText> idPool = id.stream().filter(t -> !oodGroups.contains(t.group())).toList();

        int capSum = opt.trainCap() + opt.valCap() + opt.testCap();
        double testShare = opt.testCap() / (double) capSum;
        double valShare = opt.valCap() / (double) capSum;
        List<List<LabeledText>> train = new ArrayList<>();
        List<List<LabeledText>> val = new ArrayList<>();
        List<List<LabeledText>> test = new ArrayList<>();
        List<List<LabeledText>> perLabel = byLabel(idPool, k);
        for (int label = 0; label < k; label++) {
            List<LabeledText> tr = new ArrayList<>();
            List<LabeledText> va = new ArrayList<>();
            List<LabeledText> te = new ArrayList<>();
            Map<String, List<LabeledText>> groups = new TreeMap<>();
            for (LabeledText t : perLabel.get(label)) {
                groups.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(t);
            }
            List<String> order = new ArrayList<>(groups.keySet());
            Collections.shuffle(order, rng(opt, task, "groups/" + label));
            int total = perLabel.get(label).size();
            int assigned = 0;
            for (String g : order) {
                List<LabeledText> members = groups.get(g);
                List<LabeledText> into = assigned < testShare * total ? te
                        : assigned < (testShare + valShare) * total ? va : tr;
                into.addAll(members);
                assigned += members.size();
            }
            train.add(tr);
            val.add(va);
            test.add(te);
        }
        return new TaskSplits(
                balancedSample(train, opt.trainCap() / k, rng(opt, task, "train")),
                balancedSample(val, opt.valCap() / k, rng(opt, task, "val")),
                balancedSample(test, opt.testCap() / k, rng(opt, task, "test")),
                oodSplit);
    }

    /** The same number from each label (the smallest pool, at most {@code perLabelCap}), shuffled together. */
    static List<LabeledText> balancedSample(List<List<LabeledText>> perLabel, int perLabelCap, Random rnd) {
        int n = perLabelCap;
        for (List<LabeledText> pool : perLabel) {
            n = Math.min(n, pool.size());
        }
        List<LabeledText> out = new ArrayList<>();
        for (List<LabeledText> pool : perLabel) {
            List<LabeledText> sorted = new ArrayList<>(pool);
            sorted.sort(Comparator.comparing(LabeledText::group).thenComparing(LabeledText::text));
            Collections.shuffle(sorted, rnd);
            out.addAll(sorted.subList(0, n));
        }
        Collections.shuffle(out, rnd);
        return out;
    }

    private static List<List<LabeledText>> byLabel(List<LabeledText> items, int k) {
        List<List<LabeledText>> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(new ArrayList<>());
        }
        for (LabeledText t : items) {
            if (t.label() < 0 || t.label() >= k) {
                throw new IllegalArgumentException("label " + t.label() + " out of range for " + k + " labels");
            }
            out.get(t.label()).add(t);
        }
        return out;
    }

    private static Set<String> conflictingTexts(RawTask task) {
        Map<String, Integer> labelOf = new HashMap<>();
        Set<String> conflicting = new HashSet<>();
        for (List<LabeledText> list : List.of(task.id(), task.ood())) {
            for (LabeledText t : list) {
                Integer prev = labelOf.putIfAbsent(key(t), t.label());
                if (prev != null && prev != t.label()) {
                    conflicting.add(key(t));
                }
            }
        }
        return conflicting;
    }

    private static List<LabeledText> dedupe(List<LabeledText> items, Set<String> conflicting, Set<String> seen) {
        Map<String, LabeledText> kept = new LinkedHashMap<>();
        for (LabeledText t : items) {
            String key = key(t);
            if (!conflicting.contains(key) && seen.add(key)) {
                kept.put(key, t);
            }
        }
        return new ArrayList<>(kept.values());
    }

    private static String key(LabeledText t) {
        return t.text().toLowerCase(Locale.ROOT);
    }

    private static Random rng(TextSuiteOptions opt, RawTask task, String purpose) {
        return new Random(opt.seed() * 1_000_003L + (task.name() + "/" + purpose).hashCode());
    }
}
