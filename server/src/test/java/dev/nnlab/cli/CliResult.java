package dev.nnlab.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line: exit code, stdout and stderr. */
record CliResult(int exit, String out, String err) {

    static CliResult of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliResult(exit, out.toString(), err.toString());
    }
}
