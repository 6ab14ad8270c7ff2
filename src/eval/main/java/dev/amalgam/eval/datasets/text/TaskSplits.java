package dev.amalgam.eval.datasets.text;

import java.util.List;

/** The four files of one task: ID train/val/test (disjoint groups) and the naturally shifted OOD split. */
public record TaskSplits(List<LabeledText> train, List<LabeledText> val, List<LabeledText> test,
                         List<LabeledText> ood) {

    public static final List<String> NAMES = List.of("train", "val", "test", "ood");

    public List<LabeledText> get(String split) {
        return switch (split) {
            case "train" -> train;
            case "val" -> val;
            case "test" -> test;
            case "ood" -> ood;
            default -> throw new IllegalArgumentException("unknown split " + split);
        };
    }
}
