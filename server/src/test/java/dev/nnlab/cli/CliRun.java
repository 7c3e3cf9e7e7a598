package dev.nnlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs the CLI in-process and captures what it prints. Only the calling thread's output is kept:
 * other tests' servers in the same JVM may log from their own threads at the same time.
 */
record CliRun(int exitCode, String out, String err) {

    static synchronized CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        Thread self = Thread.currentThread();
        PrintStream o = new PrintStream(new ThisThreadOnly(self, out, oldOut), true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(new ThisThreadOnly(self, err, oldErr), true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            int code = cl.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Keeps the owner thread's bytes; passes every other thread's through to where they were going. */
    private static final class ThisThreadOnly extends OutputStream {
        private final Thread owner;
        private final ByteArrayOutputStream kept;
        private final OutputStream others;

        ThisThreadOnly(Thread owner, ByteArrayOutputStream kept, OutputStream others) {
            this.owner = owner;
            this.kept = kept;
            this.others = others;
        }

        @Override
        public void write(int b) throws IOException {
            if (Thread.currentThread() == owner) kept.write(b);
            else others.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (Thread.currentThread() == owner) kept.write(b, off, len);
            else others.write(b, off, len);
        }
    }
}
