package dev.nnlab.cli;

import picocli.CommandLine;

/** The version recorded in the jar manifest at build time ("dev" when run from classes). */
public final class NnlabVersion implements CommandLine.IVersionProvider {

    public static String current() {
        String v = NnlabVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nnlab " + current(), "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
