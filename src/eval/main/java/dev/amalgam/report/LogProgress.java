package dev.amalgam.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Plain progress lines, at most one per interval plus a final one; for logs and CI. */
final class LogProgress implements Progress {
    private final String task;
    private final long total;
    private final PrintStream out;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final long startMillis;
    private long lastPrint;
    private long done;
    private String message = "";
    private boolean closed;

    LogProgress(String task, long total, PrintStream out, long intervalMillis, LongSupplier clock) {
        this.task = task;
        this.total = total;
        this.out = out;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.startMillis = clock.getAsLong();
        this.lastPrint = startMillis;
    }

    private java.util.concurrent.ScheduledExecutorService heartbeat;

    /** Also prints the line when no step completes for an interval (a slow step must not look like a hang). */
    LogProgress withHeartbeat() {
        heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis / 2, java.util.concurrent.TimeUnit.MILLISECONDS);
        return this;
    }

    synchronized void tick() {
        long now = clock.getAsLong();
        if (!closed && now - lastPrint >= intervalMillis) {
            lastPrint = now;
            out.println(line(now));
        }
    }

    @Override
    public synchronized void step(long n) {
        done += n;
        long now = clock.getAsLong();
        if (now - lastPrint >= intervalMillis) {
            lastPrint = now;
            out.println(line(now));
        }
    }

    @Override
    public synchronized void message(String text) {
        message = text == null ? "" : text;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (heartbeat != null) {
                heartbeat.shutdownNow();
            }
            out.println(line(clock.getAsLong()) + " done");
        }
    }

    /** "12.3/s", or "45 s each" when a step takes longer than ten seconds. */
    static String rate(long done, double secs) {
        if (done == 0) {
            return "first step running";
        }
        double perSec = done / secs;
        return perSec >= 0.1 ? String.format(Locale.ROOT, "%.1f/s", perSec) : String.format(Locale.ROOT, "%.0f s each", secs / done);
    }

    String line(long now) {
        double secs = Math.max(1e-3, (now - startMillis) / 1000.0);
        StringBuilder sb = new StringBuilder(task).append(": ").append(done);
        if (total > 0) {
            sb.append('/').append(total).append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        }
        sb.append(", ").append(rate(done, secs)).append(String.format(Locale.ROOT, ", %.0fs", secs));
        if (total > 0 && done > 0 && done < total) {
            sb.append(String.format(Locale.ROOT, ", eta %.0fs", (total - done) * secs / done));
        }
        if (!message.isEmpty()) {
            sb.append(", ").append(message);
        }
        return sb.toString();
    }
}
