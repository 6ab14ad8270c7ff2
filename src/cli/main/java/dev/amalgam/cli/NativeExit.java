package dev.amalgam.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import sun.misc.Signal;

import java.util.List;

/**
 * Ends the process after an interrupt's cleanup without the C library's exit handlers. When SIGINT or
 * SIGTERM arrives while a thread is inside libtorch (a backward pass, a matmul), the JVM's exit runs
 * libtorch's static destructors under that thread, which then crashes (exit 134 and an hs_err file in
 * the working directory). The shutdown hook has removed the partial outputs by then; {@code _exit}
 * ends the process with the usual 128 + signal.
 */
final class NativeExit {
    private static volatile int signal;

    private NativeExit() {
    }

    interface LibC extends Library {
        void _exit(int status);
    }

    /** Remembers which of SIGINT/SIGTERM arrived, then lets the JVM's own handler start the shutdown. */
    static void recordSignals() {
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal sig = new Signal(name);
                sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
                previous[0] = Signal.handle(sig, s -> {
                    signal = s.getNumber();
                    try {
                        previous[0].handle(s);
                    } catch (UnsupportedOperationException nativeDefault) {
                        System.exit(128 + s.getNumber());
                    }
                });
            } catch (IllegalArgumentException ignoredByTheShell) {
                // the JVM was started with the signal ignored (-Xrs, or a background job's SIGINT)
            }
        }
    }

    /** Run by the shutdown hook after its cleanup: ends the process now if a signal started the shutdown. */
    static void afterInterrupt() {
        int s = signal;
        if (s == 0) {
            return;
        }
        System.out.flush();
        System.err.flush();
        try {
            Native.load("c", LibC.class)._exit(128 + s);
        } catch (Throwable noLibc) {
            // not glibc/musl: let the JVM exit as before
        }
    }
}
