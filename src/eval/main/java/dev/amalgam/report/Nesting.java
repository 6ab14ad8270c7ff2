package dev.amalgam.report;

import java.util.Locale;

/**
 * The outermost running {@link Progress} of the process. Jobs started inside it report as its status
 * text ("merge 40%", "eval spam 120/400") rather than as a second bar or a second stream of lines.
 */
final class Nesting {
    private static Progress outer;

    private Nesting() {
    }

    static synchronized Progress current() {
        return outer;
    }

    static synchronized Progress push(Progress p) {
        outer = p;
        return new Progress() {
            public void step(long n) {
                p.step(n);
            }

            public void message(String text) {
                p.message(text);
            }

            public void close() {
                synchronized (Nesting.class) {
                    if (outer == p) {
                        outer = null;
                    }
                }
                p.close();
            }
        };
    }

    /** A job inside {@code outer}: its progress becomes the outer job's status text. */
    static Progress inner(Progress outer, String task, long total) {
        return new Progress() {
            private long done;
            private String message = "";

            public void step(long n) {
                done += n;
                show();
            }

            public void message(String text) {
                message = text == null ? "" : text;
                show();
            }

            private void show() {
                String count = total > 0 ? String.format(Locale.ROOT, "%d/%d (%.0f%%)", done, total, 100.0 * done / total)
                        : Long.toString(done);
                outer.message(task + " " + count + (message.isEmpty() ? "" : ", " + message));
            }

            public void close() {
                outer.message("");
            }
        };
    }
}
