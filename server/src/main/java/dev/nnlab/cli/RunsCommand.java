package dev.nnlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./nnlab runs ls|show|export}: the read side of the run store. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists, shows and exports recorded runs.",
        subcommands = {RunsLsCommand.class, RunsShowCommand.class, RunsExportCommand.class})
final class RunsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
