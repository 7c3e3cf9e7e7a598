package dev.nnlab.host;

import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.PluginApi;

import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Every model family found in a plugins folder: one {@link PluginClassLoader} per {@code *.jar},
 * {@link ServiceLoader} over each. Built-in families arrive exactly like a stranger's JAR.
 *
 * <p>A JAR that provides nothing, a provider that fails to instantiate, a plugin built for another
 * API version, or a second family with an id already taken is refused loudly and recorded in
 * {@link #failures()}; the other plugins load regardless.
 */
public final class PluginRegistry {
    private static final System.Logger LOG = System.getLogger("nnlab.plugins");

    private final Path directory;
    private final Map<String, LoadedFamily> families;
    private final List<PluginLoadFailure> failures;

    private PluginRegistry(Path directory, Map<String, LoadedFamily> families, List<PluginLoadFailure> failures) {
        this.directory = directory;
        this.families = Collections.unmodifiableMap(families);
        this.failures = List.copyOf(failures);
    }

    /** Scans {@code directory} (which may be missing: then nothing loads, and that is reported). */
    public static PluginRegistry load(Path directory) {
        Map<String, LoadedFamily> families = new LinkedHashMap<>();
        List<PluginLoadFailure> failures = new ArrayList<>();
        List<Path> jars = jarsIn(directory, failures);
        ClassLoader api = ModelFamily.class.getClassLoader();
        for (Path jar : jars) {
            loadJar(jar, api, families, failures);
        }
        LOG.log(System.Logger.Level.DEBUG, "plugins: {0} families from {1} ({2} refused)",
                families.size(), directory, failures.size());
        return new PluginRegistry(directory, families, failures);
    }

    private static List<Path> jarsIn(Path directory, List<PluginLoadFailure> failures) {
        if (!Files.isDirectory(directory)) {
            failures.add(new PluginLoadFailure(directory, "plugins folder does not exist"));
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            failures.add(new PluginLoadFailure(directory, "cannot list plugins folder: " + e.getMessage()));
            return List.of();
        }
    }

    private static void loadJar(Path jar, ClassLoader api, Map<String, LoadedFamily> families,
                                List<PluginLoadFailure> failures) {
        PluginClassLoader loader;
        try {
            loader = new PluginClassLoader("plugin:" + jar.getFileName(), jar.toUri().toURL(), api);
        } catch (MalformedURLException e) {
            failures.add(new PluginLoadFailure(jar, "bad path: " + e.getMessage()));
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        int provided = 0;
        try {
            Iterator<ModelFamily> it = ServiceLoader.load(ModelFamily.class, loader).iterator();
            while (true) {
                ModelFamily family;
                try {
                    if (!it.hasNext()) break;
                    family = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    failures.add(new PluginLoadFailure(jar, "a provider failed to load: " + describe(e)));
                    LOG.log(System.Logger.Level.WARNING, "plugin " + jar + ": " + describe(e));
                    provided++;
                    continue;
                }
                provided++;
                register(jar, family, families, failures);
            }
        } catch (RuntimeException e) {
            failures.add(new PluginLoadFailure(jar, "failed while loading: " + describe(e)));
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (provided == 0) {
            failures.add(new PluginLoadFailure(jar, "provides no model family: the JAR has no "
                    + "META-INF/services/" + ModelFamily.class.getName() + " entry"));
            LOG.log(System.Logger.Level.WARNING, "plugin " + jar + " provides no model family");
        }
    }

    private static void register(Path jar, ModelFamily family, Map<String, LoadedFamily> families,
                                 List<PluginLoadFailure> failures) {
        String name = family.getClass().getName();
        int version;
        String id;
        try {
            version = family.apiVersion();
            id = family.id();
        } catch (RuntimeException | LinkageError e) {
            failures.add(new PluginLoadFailure(jar, name + " failed to describe itself: " + describe(e)));
            return;
        }
        if (version != PluginApi.VERSION) {
            failures.add(new PluginLoadFailure(jar, name + " was built for plugin API version " + version
                    + ", but this nnlab provides version " + PluginApi.VERSION));
            return;
        }
        if (id == null || !id.matches("[a-z0-9_-]{1,40}")) {
            failures.add(new PluginLoadFailure(jar, name + " has an invalid id " + id + " (allowed: [a-z0-9_-]{1,40})"));
            return;
        }
        LoadedFamily existing = families.get(id);
        if (existing != null) {
            failures.add(new PluginLoadFailure(jar, "family id '" + id + "' is already provided by " + existing.jar().getFileName()));
            return;
        }
        families.put(id, new LoadedFamily(family, jar));
        LOG.log(System.Logger.Level.DEBUG, "plugin family {0} {1} from {2}", id, family.version(), jar.getFileName());
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? msg : msg + " (caused by " + root + ")";
    }

    public Path directory() { return directory; }

    public Map<String, LoadedFamily> families() { return families; }

    public LoadedFamily family(String id) { return families.get(id); }

    public List<PluginLoadFailure> failures() { return failures; }
}
