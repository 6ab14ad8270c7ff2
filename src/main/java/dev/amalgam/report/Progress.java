package dev.amalgam.report;

/**
 * Progress of a long job (merging tensors, evaluating batches). {@link #start} shows a live bar
 * (me.tongfei.progressbar) on an interactive terminal and otherwise falls back to plain log lines
 * every few seconds, so CI logs stay readable.
 */
public interface Progress extends AutoCloseable {

    void step(long n);

    default void step() {
        step(1);
    }

    /** Short status shown next to the bar / at the end of log lines (e.g. the current tensor). */
    void message(String text);

    @Override
    void close();

    /** Interactive: a console is attached, CI is not set, and AMALGAM_PROGRESS is not "plain". */
    static boolean interactive() {
        return System.console() != null && !"true".equalsIgnoreCase(System.getenv("CI"))
                && !"plain".equalsIgnoreCase(System.getenv("AMALGAM_PROGRESS"));
    }

    /** @param total number of steps, or -1 when unknown */
    static Progress start(String task, long total) {
        return interactive() ? new BarProgress(task, total)
                : new LogProgress(task, total, System.err, 10_000, System::currentTimeMillis);
    }
}
