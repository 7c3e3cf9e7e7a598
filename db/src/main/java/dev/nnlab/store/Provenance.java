package dev.nnlab.store;

/**
 * What it takes to reproduce a run (as Tribuo records for every model): which code, which data,
 * which seed. Any field may be null when unknown.
 *
 * @param pluginId        the plugin that trained the run, e.g. {@code "mlp"}
 * @param pluginVersion   that plugin's version
 * @param nnlabVersion    the host's version
 * @param gitCommit       the commit of the working tree, when run from a checkout
 * @param seed            the seed of every random choice of the run
 * @param dataset         the data set's name, e.g. {@code "mnist"}
 * @param datasetChecksum a checksum of the data set's files
 */
public record Provenance(
        String pluginId,
        String pluginVersion,
        String nnlabVersion,
        String gitCommit,
        Long seed,
        String dataset,
        String datasetChecksum) {

    public static final Provenance UNKNOWN = new Provenance(null, null, null, null, null, null, null);
}
