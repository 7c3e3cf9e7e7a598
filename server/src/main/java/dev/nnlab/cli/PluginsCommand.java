package dev.nnlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginLoadFailure;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.ParamSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./nnlab plugins}: the model families found in the plugins folder with their parameter
 * schemas, then every JAR or provider that was refused and why.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"Lists the model families of the plugins folder, then the JARs that failed to load.",
                "Each family: id, name, version, JAR, accepted data kinds and its parameter schema",
                "(name, type, default, allowed values, description); each failure: the JAR and why."})
final class PluginsCommand implements Callable<Integer> {

    enum Format { TABLE, JSON }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of your plugin JARs, listed in addition to "
            + "plugins/ of the nnlab installation.")
    Path plugins;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "table (default) or json.")
    Format format;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginRegistry.load(HostOptions.pluginsDirs(plugins));
        CommandLine cli = spec.commandLine();
        cli.getOut().print(format == Format.JSON ? JsonOutput.write(json(registry)) + "\n" : table(registry));
        cli.getOut().flush();
        return 0;
    }

    static String table(PluginRegistry registry) {
        StringBuilder sb = new StringBuilder(registry.directories().size() == 1 ? "plugins folder: " : "plugins folders: ");
        sb.append(String.join(", ", registry.directories().stream().map(String::valueOf).toList())).append('\n');
        if (registry.families().isEmpty()) {
            sb.append("no model families loaded\n");
        } else {
            TextTable t = new TextTable(List.of("id", "name", "version", "data", "jar", "sha256"));
            for (LoadedFamily f : registry.families().values()) {
                t.add(List.of(f.id(), f.family().displayName(), f.version(), dataKinds(f.family()), f.jar().getFileName().toString(),
                        f.sha256().substring(0, 12)));
            }
            sb.append('\n').append(t.render());
        }
        for (LoadedFamily f : registry.families().values()) {
            sb.append('\n').append(wrap(f.id() + ": " + f.family().description(), 100));
            TextTable t = new TextTable(List.of("param", "type", "default", "allowed", "description"));
            for (ParamSpec p : f.family().params().specs()) {
                t.add(List.of(p.name(), p.type().name(), String.valueOf(p.defaultValue()), allowed(p), p.description()));
            }
            sb.append(t.render());
        }
        sb.append('\n');
        if (registry.failures().isEmpty()) {
            sb.append("load failures: none\n");
        } else {
            sb.append("load failures:\n");
            TextTable t = new TextTable(List.of("jar", "reason"));
            for (PluginLoadFailure f : registry.failures()) t.add(List.of(f.jar().toString(), f.reason()));
            sb.append(t.render());
        }
        if (!registry.pending().isEmpty()) {
            sb.append("still being copied (tried again on the next scan):\n");
            TextTable t = new TextTable(List.of("jar", "state"));
            for (PluginLoadFailure f : registry.pending()) t.add(List.of(f.jar().toString(), f.reason()));
            sb.append(t.render());
        }
        return sb.toString();
    }

    static ObjectNode json(PluginRegistry registry) {
        ObjectNode root = JsonOutput.MAPPER.createObjectNode();
        root.put("directory", registry.directory().toAbsolutePath().normalize().toString());
        ArrayNode folders = root.putArray("directories");
        for (java.nio.file.Path d : registry.directories()) folders.add(d.toString());
        ArrayNode families = root.putArray("families");
        for (LoadedFamily f : registry.families().values()) {
            ObjectNode o = families.addObject();
            o.put("id", f.id());
            o.put("name", f.family().displayName());
            o.put("version", f.version());
            o.put("jar", f.jar().toString());
            o.put("sha256", f.sha256());
            o.put("description", f.family().description());
            ArrayNode kinds = o.putArray("dataKinds");
            for (DataKind k : f.family().dataKinds()) kinds.add(k.name());
            ArrayNode params = o.putArray("params");
            for (ParamSpec p : f.family().params().specs()) {
                ObjectNode s = params.addObject();
                s.put("name", p.name());
                s.put("type", p.type().name());
                s.set("default", JsonOutput.MAPPER.valueToTree(p.defaultValue()));
                s.put("allowed", p.allowed());
                if (p.min() != null) s.put("min", p.min()).put("minInclusive", p.minInclusive());
                if (p.max() != null) s.put("max", p.max()).put("maxInclusive", p.maxInclusive());
                if (!p.choices().isEmpty()) s.set("choices", JsonOutput.MAPPER.valueToTree(p.choices()));
                s.put("logScale", p.logScale());
                s.put("description", p.description());
            }
        }
        ArrayNode failures = root.putArray("failures");
        for (PluginLoadFailure f : registry.failures()) {
            failures.addObject().put("jar", f.jar().toString()).put("reason", f.reason());
        }
        ArrayNode pending = root.putArray("pending");
        for (PluginLoadFailure f : registry.pending()) {
            pending.addObject().put("jar", f.jar().toString()).put("reason", f.reason());
        }
        return root;
    }

    /** Breaks {@code text} into lines of at most {@code width} characters, at spaces. */
    static String wrap(String text, int width) {
        StringBuilder sb = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (sb.length() > lineStart && sb.length() - lineStart + 1 + word.length() > width) {
                sb.append('\n');
                lineStart = sb.length();
            } else if (sb.length() > lineStart) {
                sb.append(' ');
            }
            sb.append(word);
        }
        return sb.append('\n').toString();
    }

    private static String dataKinds(ModelFamily f) {
        List<String> names = new ArrayList<>();
        for (DataKind k : DataKind.values()) if (f.dataKinds().contains(k)) names.add(k.name().toLowerCase());
        return String.join(", ", names);
    }

    private static String allowed(ParamSpec p) {
        return p.logScale() ? p.allowed() + " (log scale)" : p.allowed();
    }
}
