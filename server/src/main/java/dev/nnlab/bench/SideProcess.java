package dev.nnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one side of a measurement as its own process (a peer's script, or nnlab in a child JVM):
 * its stderr is passed on to the log as it comes, indented; its result is the last JSON object it
 * prints on stdout. Exit code {@value #MISSING_EXIT} with {@code {"missing": reason}} means the side
 * cannot run here (a package is not installed), which the harness reports as missing.
 */
final class SideProcess {
    static final int MISSING_EXIT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a process ended: its result object, or why there is none. */
    record Outcome(JsonNode result, String missing, String failure) {
        static Outcome ok(JsonNode r) { return new Outcome(r, null, null); }
    }

    private SideProcess() {}

    static Outcome run(List<String> command, Map<String, String> env, Path workDir, Duration timeout, PrintStream log) {
        return run(command, env, java.util.Set.of(), workDir, timeout, log);
    }

    /** As {@link #run(List, Map, Path, Duration, PrintStream)}, without the inherited variables named in {@code unset}. */
    static Outcome run(List<String> command, Map<String, String> env, java.util.Set<String> unset, Path workDir, Duration timeout,
                       PrintStream log) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) pb.directory(workDir.toFile());
        pb.environment().keySet().removeAll(unset);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(null, "cannot start " + command.getFirst() + ": " + e.getMessage(), null);
        }
        try {
            p.getOutputStream().close();
            StringBuilder tail = new StringBuilder();
            Thread errors = Thread.ofVirtual().start(() -> copyErrors(p, log, tail));
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(null, null, command.getFirst() + " did not finish within " + timeout.toMinutes() + " min");
            }
            errors.join(Duration.ofSeconds(5));
            JsonNode last = lastJsonObject(stdout);
            if (p.exitValue() == MISSING_EXIT && last != null && last.hasNonNull("missing")) {
                return new Outcome(null, last.get("missing").asText(), null);
            }
            if (p.exitValue() != 0) {
                String why = lastLine(tail.toString());
                return new Outcome(null, null, "exited with " + p.exitValue() + (why.isEmpty() ? "" : ": " + why));
            }
            if (last == null) return new Outcome(null, null, "printed no JSON result; stdout was: " + abbreviate(stdout));
            return Outcome.ok(last);
        } catch (IOException e) {
            p.destroyForcibly();
            return new Outcome(null, null, e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(null, null, "interrupted");
        }
    }

    static JsonNode lastJsonObject(String stdout) {
        List<String> lines = stdout.lines().map(String::strip).filter(l -> l.startsWith("{")).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            try {
                return JSON.readTree(lines.get(i));
            } catch (IOException e) {
                // chatter that happens to start with a brace: try the line before
            }
        }
        return null;
    }

    /** Passes stderr on, indented, and keeps its last lines for the failure message. */
    private static void copyErrors(Process p, PrintStream log, StringBuilder tail) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.println("    | " + line);
                synchronized (tail) {
                    tail.append(line).append('\n');
                    if (tail.length() > 2000) tail.delete(0, tail.length() - 2000);
                }
            }
        } catch (IOException ignored) {
            // the process went away; what was read is in the log
        }
    }

    /** The last non-blank line: a Python traceback's exception, argparse's complaint, the child JVM's one-line reason. */
    static String lastLine(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("");
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 500 ? t : "..." + t.substring(t.length() - 500);
    }
}
