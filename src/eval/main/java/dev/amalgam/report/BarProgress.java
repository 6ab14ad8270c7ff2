package dev.amalgam.report;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live terminal bar on stderr. */
final class BarProgress implements Progress {
    private final ProgressBar bar;

    BarProgress(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setConsumer(new ConsoleProgressBarConsumer(dev.amalgam.Messages.err()))
                .setUpdateIntervalMillis(200);
        // A rate only means something for many short steps; for a few long ones (run cells) the ETA says it.
        bar = (total > 50 ? b.showSpeed() : b).build();
    }

    @Override
    public void step(long n) {
        bar.stepBy(n);
    }

    @Override
    public void message(String text) {
        bar.setExtraMessage(text);
    }

    @Override
    public void close() {
        bar.close();
    }
}
