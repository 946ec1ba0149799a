package dev.helios4j.local.internal.engine;

/**
 * Says how a process ended. A process that a signal ended reports 128 + the signal, both through
 * the JDK and through the watchdog shell, so one reading serves both engines.
 */
final class ExitStatus {
    private ExitStatus() {
    }

    static String describe(int code) {
        if (code > 128 && code < 160) {
            int signal = code - 128;
            String name = name(signal);
            String what = switch (signal) {
                case 6 -> "aborted (signal 6, SIGABRT: llama.cpp's GGML_ASSERT or an uncaught C++ exception ends so)";
                case 9 -> "was killed by signal 9 (SIGKILL: kill -9, or the kernel's out-of-memory killer)";
                case 11 -> "crashed with signal 11 (SIGSEGV)";
                default -> "was ended by signal " + signal + (name.isEmpty() ? "" : " (" + name + ")");
            };
            return what + ", exit code " + code;
        }
        return "exited with code " + code;
    }

    private static String name(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 5 -> "SIGTRAP";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            default -> "";
        };
    }
}
