package dev.nnlab.spi;

/**
 * The version of the plugin API. A plugin returns this constant from {@link ModelFamily#apiVersion()};
 * because it is a compile-time constant, the value is baked into the plugin's bytecode and so
 * records the API the plugin was built against (Elasticsearch's lesson). The host refuses a plugin
 * built for another major version, naming both, and one built for a newer revision of the
 * evolving types ({@link #EVOLVING}) than this host provides.
 *
 * <p>Stability: stable. The version changes only on an incompatible change of the SPI:
 * 2 handed families data of one {@link DataKind} ({@code TrainingJob.data()}) instead of three
 * labelled datasets, and made early stopping one type ({@link EarlyStopping}). Evolving revision 2 added
 * the data kind {@link DataKind#SEQUENCES} ({@code SequenceSamples}, {@code SequencePreparation}).
 */
public final class PluginApi {
    private PluginApi() {}

    public static final int VERSION = 2;

    /**
     * The revision of the evolving types within {@link #VERSION}, raised whenever one of them gains
     * something a plugin may use (a new method, a new preparation parameter). A plugin returns it
     * from {@link ModelFamily#evolvingApiVersion()}; the host refuses a plugin that needs a newer
     * revision than it has, and loads one built for an older revision.
     */
    public static final int EVOLVING = 2;

    /** {@code "2.1"}: the major version and the evolving revision, as the README and the Maven artifacts state it. */
    public static String describe() { return VERSION + "." + EVOLVING; }

    /**
     * The packages a plugin sees from the host: the SPI and the numerical core. A plugin's class
     * loader delegates exactly these (and the JDK) to the host, and resolves everything else from the
     * plugin's own JAR, so two plugins may bundle different versions of the same library.
     */
    public static final java.util.List<String> PACKAGES = java.util.List.of(
            "dev.nnlab.spi", "dev.nnlab.tensor", "dev.nnlab.kernels", "dev.nnlab.nn", "dev.nnlab.optim",
            "dev.nnlab.training", "dev.nnlab.data", "dev.nnlab.diagnostics");
}
