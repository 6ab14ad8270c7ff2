package dev.amalgam.cli;

import dev.amalgam.merge.StreamingExecutor;

/** Progress lines on stderr for streamed work: one line per phase step of 10 %, and the phase's end. */
final class ConsoleProgress implements StreamingExecutor.Progress {
    private final String label;
    private String phase = "";
    private int lastDecile = -1;
    private final long start = System.nanoTime();

    private ConsoleProgress(String label) {
        this.label = label;
    }

    static StreamingExecutor.Progress create(String label) {
        return new ConsoleProgress(label);
    }

    @Override
    public void update(String p, long done, long total) {
        if (!p.equals(phase)) {
            phase = p;
            lastDecile = -1;
        }
        int decile = total == 0 ? 10 : (int) (done * 10 / total);
        if (decile != lastDecile) {
            lastDecile = decile;
            System.err.printf("%s: %s %3d%% (%d/%d tensors, %.1f s)%n", label, phase, decile * 10, done, total,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
