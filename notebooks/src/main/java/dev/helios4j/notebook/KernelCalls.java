package dev.helios4j.notebook;

/**
 * Runs a call into the kernel with the thread's interrupt flag cleared, then sets it again.
 *
 * <p>Why: the stop button interrupts the cell's thread, and the kernels publish on ZeroMQ sockets
 * (JeroMQ) from that same thread. JeroMQ signals through NIO pipes, and an NIO write on an
 * interrupted thread closes the pipe for good, breaking the kernel's output channel for every
 * later cell. The "stopped" update that follows an interruption must therefore go out with the
 * flag clear; the flag is restored so code further up still sees the interruption.
 */
final class KernelCalls {
    private KernelCalls() {
    }

    static void run(Runnable call) {
        boolean interrupted = Thread.interrupted();
        try {
            call.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
