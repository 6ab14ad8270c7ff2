package dev.amalgam.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/** A progress bar of updates on stderr with the running loss, plus one log line per evaluation. */
public final class ConsoleFineTuneListener implements FineTuneListener {
    private final PrintStream err;
    private ProgressBar bar;
    private double smoothedLoss = Double.NaN;

    public ConsoleFineTuneListener(PrintStream err) {
        this.err = err;
    }

    @Override
    public void onStart(int totalSteps, int batchesPerEpoch) {
        bar = new ProgressBarBuilder().setTaskName("finetune").setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(500).build();
    }

    @Override
    public void onStep(int step, float loss, float learningRate, double gradNorm) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.9 * smoothedLoss + 0.1 * loss;
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f lr %.2e |g| %.2f", smoothedLoss, learningRate,
                gradNorm));
    }

    @Override
    public void onEvaluation(EvalPoint p, boolean improved) {
        err.printf(Locale.ROOT, "%nstep %d (epoch %d): val accuracy %.4f, val loss %.4f%s%n", p.step(), p.epoch() + 1,
                p.accuracy(), p.loss(), improved ? "  (best so far)" : "");
    }

    @Override
    public void onEnd(FineTuneResult r) {
        bar.close();
        err.printf(Locale.ROOT, "finished after %d updates%s: best val accuracy %.4f at step %d; %.1f ms per update%n",
                r.steps(), r.stoppedEarly() ? " (early stop)" : "", r.bestValAccuracy(), r.bestStep(),
                r.secondsPerStep() * 1e3);
    }
}
