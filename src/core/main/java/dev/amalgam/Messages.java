package dev.amalgam;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where the library's messages to its user go: notes about what a merge did, progress lines, cells finished.
 * Library code writes to {@link #err()}; nothing in the library prints on its own. By default each line goes to
 * SLF4J (logger {@code dev.amalgam}, level INFO), so a program that embeds Amalgam sees them in its own logging. An
 * application with a console (the CLI) calls {@link #toStandardError} or {@link #toConsole} once, and the lines go to its stream as they are
 * written; live progress bars are drawn only then.
 */
public final class Messages {
    private static final Logger LOG = LoggerFactory.getLogger("dev.amalgam");
    private static final PrintStream LOGGED = new PrintStream(new LineLogger(), true, StandardCharsets.UTF_8);
    private static volatile java.util.function.Supplier<PrintStream> console;

    private Messages() {
    }

    /** Sends every message to {@code stream} from now on. */
    public static void toConsole(PrintStream stream) {
        java.util.Objects.requireNonNull(stream);
        console = () -> stream;
    }

    /** Sends every message to {@code System.err} as it is at each message (the CLI; tests may redirect it). */
    public static void toStandardError() {
        console = () -> System.err;
    }

    /** Whether an application installed a console: progress may draw live bars on it. */
    public static boolean hasConsole() {
        return console != null;
    }

    /** The stream library code writes its messages to, a line at a time. */
    public static PrintStream err() {
        java.util.function.Supplier<PrintStream> c = console;
        return c != null ? c.get() : LOGGED;
    }

    /** Buffers bytes until a newline, then logs the line. */
    private static final class LineLogger extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else if (b != '\r') {
                line.write(b);
            }
        }

        @Override
        public synchronized void flush() {
            // a line is logged when it ends; a partial line waits for its newline
        }

        private void flushLine() {
            LOG.info(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
