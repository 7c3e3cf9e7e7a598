package dev.nnlab.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nnlab.catalog.Availability;
import dev.nnlab.catalog.CatalogEntry;
import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.ParamSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What this installation can train and on what: the loaded model families with their parameter
 * schemas (the UI builds its launch form from them), the plugins that were refused and why, and
 * the named datasets with their availability. Knows nothing of HTTP.
 */
public final class HostInventory {
    private final PluginRegistry plugins;
    private final DatasetCatalog datasets;

    public HostInventory(PluginRegistry plugins, DatasetCatalog datasets) {
        this.plugins = plugins;
        this.datasets = datasets;
    }

    public record Plugins(List<Family> families, List<Failure> failures) {}

    public record Family(String id, String displayName, String description, String version, String jar,
                         List<String> dataKinds, List<Param> params) {}

    /** One parameter: {@code type} is the schema's JSON name ({@code float}, {@code int_list}...). */
    public record Param(String name, String type, @JsonProperty("default") Object defaultValue, Double min, boolean minInclusive, Double max,
                        boolean maxInclusive, List<String> choices, boolean logScale, String description,
                        String allowed) {
        static Param of(ParamSpec s) {
            return new Param(s.name(), s.type().jsonName(), s.defaultValue(), s.min(), s.minInclusive(), s.max(),
                    s.maxInclusive(), s.choices(), s.logScale(), s.description(), s.allowed());
        }
    }

    public record Failure(String jar, String reason) {}

    /** One named dataset; {@code kinds} are {@link DataKind} names, its natural kind first. */
    public record Dataset(String name, String description, List<String> kinds, boolean available, String location, String howToGet) {}

    public Plugins plugins() {
        List<Family> families = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (PluginLoadFailure f : plugins.failures()) failures.add(new Failure(String.valueOf(f.jar().getFileName()), f.reason()));
        for (LoadedFamily lf : plugins.families().values()) {
            try {
                families.add(family(lf));
            } catch (RuntimeException | LinkageError e) {
                // A plugin that cannot describe itself must not take the plugins page down with it.
                failures.add(new Failure(String.valueOf(lf.jar().getFileName()), lf.id() + " failed to describe itself: " + e));
            }
        }
        return new Plugins(families, failures);
    }

    public List<Dataset> datasets() {
        List<Dataset> out = new ArrayList<>();
        for (CatalogEntry e : datasets.entries()) {
            Availability a = e.availability();
            out.add(new Dataset(e.name(), e.description(), e.kinds().stream().map(DataKind::name).toList(), a.available(),
                    a.location(), a.howToGet()));
        }
        return out;
    }

    private static Family family(LoadedFamily lf) {
        ModelFamily f = lf.family();
        List<String> kinds = f.dataKinds().stream().map(DataKind::name).sorted().toList();
        List<Param> params = f.params().specs().stream().map(Param::of).toList();
        return new Family(lf.id(), f.displayName(), f.description(), lf.version(), String.valueOf(lf.jar().getFileName()),
                kinds, params);
    }
}
