package dev.helios4j.local.hf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One CLI download in a JVM of its own, for tests that need a small heap: arguments are the spec,
 * the home folder and NAME=VALUE variables. Prints {@code path=...} and exits 0, or prints the
 * failure and exits 1.
 */
final class CliRun {
    private CliRun() {
    }

    public static void main(String[] args) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            vars.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try {
            Path path = HfModels.builder().environment(HfEnvironment.of(vars, Path.of(args[1])))
                    .method(DownloadMethod.CLI).timeout(Duration.ofSeconds(120)).build().resolve(args[0]);
            System.out.println("path=" + path);
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("failed: " + t);
            System.exit(1);
        }
    }
}
