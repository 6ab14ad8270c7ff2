package dev.amalgam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak anonymous and file-backed resident memory of this process, sampled from /proc/self/status
 * (RssAnon, RssFile) every few milliseconds by a daemon thread. The kernel keeps only the peak of
 * their sum (VmHWM); split, they tell allocations (anonymous: Java heap, libtorch tensors, malloc) from
 * mapped input pages (file-backed: page cache the kernel can drop). A peak shorter than the period
 * can be missed.
 */
final class RssSampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakAnonKb;
    private volatile long peakFileKb;

    RssSampler(long periodMillis) {
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        thread.setDaemon(true);
        sample();
        thread.start();
    }

    private void sample() {
        long[] v = read();
        if (v[0] > peakAnonKb) {
            peakAnonKb = v[0];
        }
        if (v[1] > peakFileKb) {
            peakFileKb = v[1];
        }
    }

    /** {RssAnon kB, RssFile kB} now; -1 where the kernel does not report it. */
    static long[] read() {
        long anon = -1;
        long file = -1;
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("RssAnon:")) {
                    anon = kb(line);
                } else if (line.startsWith("RssFile:")) {
                    file = kb(line);
                }
            }
        } catch (IOException e) {
            // not Linux: report -1
        }
        return new long[]{anon, file};
    }

    static long kb(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    long peakAnonKb() {
        return peakAnonKb;
    }

    long peakFileKb() {
        return peakFileKb;
    }

    @Override
    public void close() {
        sample();
        running = false;
        thread.interrupt();
    }
}
