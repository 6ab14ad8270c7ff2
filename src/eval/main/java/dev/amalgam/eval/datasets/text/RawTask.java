package dev.amalgam.eval.datasets.text;

import java.util.List;

/**
 * Everything one source yields before splitting: the in-distribution pool (later split into
 * train/val/test) and the naturally shifted out-of-distribution pool with the same labels.
 */
public record RawTask(String name, List<String> labels, List<LabeledText> id, List<LabeledText> ood,
                      String source, String oodShift) {
}
