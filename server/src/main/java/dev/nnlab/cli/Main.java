package dev.nnlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nnlab} command line. Exit codes: 0 ok, 1 a run or benchmark failed, 2 bad input. */
@Command(name = "nnlab",
        mixinStandardHelpOptions = true,
        versionProvider = NnlabVersion.class,
        description = "A deep-learning training workbench.",
        footer = {"",
                "Plugins: model families load from plugins/ of the nnlab installation",
                "(the built-in ones) and, with --plugins DIR, also from DIR; on a clash",
                "of family ids the built-in one wins. 'serve' picks up JARs copied into,",
                "replaced in or removed from these folders within seconds.",
                "",
                "Launcher commands: ./nnlab test, ./nnlab build, and ./nnlab plugin-sdk",
                "(installs dev.nnlab:nnlab-plugins-api with sources and Javadoc into",
                "~/.m2 for writing plugins; see README, \"Write a plugin\")."},
        subcommands = {RunCommand.class, RunsCommand.class, ServeCommand.class, QuickstartCommand.class, PluginsCommand.class,
                BenchCommand.class, DataCommand.class, LessonsCommand.class, DbCommand.class, WorkerCommand.class,
                CommandLine.HelpCommand.class})
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
