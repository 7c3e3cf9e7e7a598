package dev.nnlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nnlab} command line. Exit codes: 0 ok, 1 a run or benchmark failed, 2 bad input. */
@Command(name = "nnlab",
        mixinStandardHelpOptions = true,
        versionProvider = NnlabVersion.class,
        description = "A deep-learning training workbench.",
        subcommands = {RunCommand.class, RunsCommand.class, ServeCommand.class, QuickstartCommand.class, PluginsCommand.class,
                BenchCommand.class, DataCommand.class, LessonsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, cl, parsed) -> {
                    if (ex instanceof InputError) {
                        cl.getErr().println(ex.getMessage());
                        return 2;
                    }
                    // Anything else is nnlab's fault, not the user's: say what, and where with NNLAB_DEBUG=1.
                    cl.getErr().println("nnlab: " + ex);
                    if (System.getenv("NNLAB_DEBUG") != null) ex.printStackTrace(cl.getErr());
                    return 1;
                });
    }
}
