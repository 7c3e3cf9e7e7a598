package dev.nnlab.cli;

import dev.nnlab.store.StoreCopy;
import dev.nnlab.store.StoreException;
import dev.nnlab.store.StoreLocation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code ./nnlab db}: work on run stores as a whole. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Works on run stores as a whole (see 'db migrate', 'db start-local').",
        subcommands = {DbCommand.Migrate.class, LocalPostgresCommands.Start.class, LocalPostgresCommands.Stop.class,
                CommandLine.HelpCommand.class})
final class DbCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code ./nnlab db migrate --from sqlite:PATH --to postgresql://...}. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Copies a store into another, e.g. a local SQLite file into a shared PostgreSQL database:",
                    "experiments, runs, parameters, curves, layer statistics, events, tags, notes, lesson verdicts and",
                    "artifacts, keeping their ids. Run again, it copies only what is missing. The source is not changed."})
    static final class Migrate implements Callable<Integer> {

        @Option(names = "--from", required = true, paramLabel = "STORE", converter = StoreLocationConverter.class,
                description = "The store to copy: sqlite:PATH (or PATH), or a PostgreSQL URL.")
        StoreLocation from;

        @Option(names = "--to", required = true, paramLabel = "STORE", converter = StoreLocationConverter.class,
                description = "The store to copy into: postgresql://USER@HOST:PORT/DATABASE (or sqlite:PATH); "
                        + "created or migrated to the current schema first.")
        StoreLocation to;

        @Override
        public Integer call() {
            if (from.describe().equals(to.describe())) {
                throw new InputError("--from and --to name the same store (" + from.describe() + ")");
            }
            if (from.sqliteFile().isPresent() && !java.nio.file.Files.isRegularFile(from.sqliteFile().get())) {
                throw new InputError("--from: no store at " + from.describe());
            }
            System.out.println("copying " + from.describe() + " into " + to.describe());
            StoreCopy.Report report;
            try {
                report = StoreCopy.copy(from, to, line -> {
                    System.out.println("  " + line);
                    System.out.flush();
                });
            } catch (IllegalStateException e) {
                throw new InputError("--to: " + e.getMessage());
            } catch (StoreException e) {
                System.err.println("nnlab: " + e.getMessage() + ": " + rootMessage(e));
                return 1;
            }
            long rows = report.tables().stream().mapToLong(StoreCopy.Count::inserted).sum();
            System.out.printf("done: %,d rows and %,d artifact files copied%n", rows, report.filesCopied());
            return 0;
        }

        private static String rootMessage(Throwable t) {
            while (t.getCause() != null && t.getCause() != t) t = t.getCause();
            return t.getMessage();
        }
    }
}
