package dev.amalgam.report;

/**
 * Progress of a long job (merging tensors, evaluating batches, running cells). {@link #start} shows a
 * live bar with rate and ETA (me.tongfei.progressbar) on an interactive terminal and otherwise plain log
 * lines every few seconds — also when no step completes for a while, so a slow step never looks like a
 * hang. A job started while another is running (a merge inside an {@code amalgam run} cell) reports
 * through the outer one's status text instead of drawing a second bar.
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
        return interactive(System.console() != null, System.getenv());
    }

    /** The rule of {@link #interactive()} for a given console and environment. */
    static boolean interactive(boolean console, java.util.Map<String, String> env) {
        return console && !"true".equalsIgnoreCase(env.get("CI")) && !"plain".equalsIgnoreCase(env.get("AMALGAM_PROGRESS"));
    }

    /** @param total number of steps, or -1 when unknown */
    static Progress start(String task, long total) {
        Progress outer = Nesting.current();
        if (outer != null) {
            return Nesting.inner(outer, task, total);
        }
        Progress p = interactive() && dev.amalgam.Messages.hasConsole() ? new BarProgress(task, total)
                : new LogProgress(task, total, dev.amalgam.Messages.err(), 10_000, System::currentTimeMillis).withHeartbeat();
        return Nesting.push(p);
    }
}
