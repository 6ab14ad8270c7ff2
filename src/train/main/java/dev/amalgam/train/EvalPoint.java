package dev.amalgam.train;

/** One validation pass: after update {@code step}, accuracy and mean cross-entropy on the validation set. */
public record EvalPoint(int step, int epoch, double accuracy, double loss) {
}
