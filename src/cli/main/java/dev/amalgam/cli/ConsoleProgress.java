package dev.amalgam.cli;

import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.report.Progress;

/**
 * Streamed-merge progress on stderr: one {@link Progress} per phase (statistics passes, merge), a bar
 * with rate and ETA on a terminal, periodic lines otherwise.
 */
final class ConsoleProgress implements StreamingExecutor.Progress {
    private final String label;
    private String phase;
    private Progress current;
    private long reported;

    private ConsoleProgress(String label) {
        this.label = label;
    }

    static StreamingExecutor.Progress create(String label) {
        return new ConsoleProgress(label);
    }

    @Override
    public synchronized void update(String p, long done, long total) {
        if (!p.equals(phase)) {
            if (current != null) {
                current.close();
            }
            phase = p;
            reported = 0;
            current = Progress.start((p.equals(label) ? label : label + " " + p) + " (tensors)", total);
        }
        current.step(done - reported);
        reported = done;
        if (done >= total) {
            current.close();
            current = null;
            phase = null;
        }
    }
}
