package dev.nnlab.host;

import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.PluginApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Loads the families of one plugin JAR, or says why not. The JAR is first copied to a private
 * folder named by its SHA-256 and loaded from there: a plugin replaced in place ({@code cp} over
 * it) then cannot change the bytes under a class loader that still trains runs of the old version.
 */
final class JarLoader {
    private static final System.Logger LOG = System.getLogger("nnlab.plugins");

    /**
     * A JAR modified this recently that starts like a zip but is not a readable one yet is taken as
     * a copy in progress.
     */
    static final long SETTLE_MILLIS = 5_000;

    private JarLoader() {}

    /** What the folder listing says of a JAR; a change means it must be loaded again. */
    record Stamp(long size, long modifiedMillis) {}

    /** One JAR's outcome: its families and refusals, or pending (not complete yet) with the reason. */
    record Result(Path jar, Stamp stamp, List<LoadedFamily> families, List<PluginLoadFailure> failures, String pendingReason) {
        boolean pending() { return pendingReason != null; }
    }

    static Stamp stamp(Path jar) {
        try {
            return new Stamp(Files.size(jar), Files.getLastModifiedTime(jar).toMillis());
        } catch (IOException e) {
            return new Stamp(-1, -1);
        }
    }

    static Result load(Path jar, Stamp stamp, ClassLoader api) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(jar);
        } catch (IOException e) {
            return refused(jar, stamp, "cannot read the JAR: " + e.getMessage());
        }
        boolean settling = System.currentTimeMillis() - stamp.modifiedMillis() < SETTLE_MILLIS || bytes.length != stamp.size();
        if (bytes.length == 0) {
            return settling ? pending(jar, stamp, "empty so far; a copy in progress? Tried again on the next scan")
                    : refused(jar, stamp, "the JAR is empty (0 bytes)");
        }
        String sha = sha256(bytes);
        Path copy;
        try {
            copy = shadowCopy(bytes, sha);
        } catch (IOException e) {
            return refused(jar, stamp, "cannot copy the JAR to a private folder for loading: " + e.getMessage());
        }
        String zipProblem = zipProblem(copy);
        if (zipProblem != null) {
            // A copy in progress of a JAR starts like one: its first bytes are a zip entry's header.
            boolean startsLikeZip = bytes.length < 4 || (bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4);
            return settling && startsLikeZip ? pending(jar, stamp, "not a complete zip yet (" + zipProblem + "); a copy in progress? "
                    + "Tried again on the next scan")
                    : refused(jar, stamp, "corrupt JAR: not a readable zip file (" + zipProblem + ")");
        }
        return loadFamilies(jar, stamp, copy, sha, api);
    }

    private static Result loadFamilies(Path jar, Stamp stamp, Path copy, String sha, ClassLoader api) {
        List<LoadedFamily> families = new ArrayList<>();
        List<PluginLoadFailure> failures = new ArrayList<>();
        PluginClassLoader loader;
        try {
            loader = new PluginClassLoader("plugin:" + jar.getFileName(), copy.toUri().toURL(), api);
        } catch (IOException e) {
            return refused(jar, stamp, "bad path: " + e.getMessage());
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
                    provided++;
                    continue;
                }
                provided++;
                String problem = check(family);
                if (problem != null) failures.add(new PluginLoadFailure(jar, family.getClass().getName() + " " + problem));
                else families.add(new LoadedFamily(family, jar, sha));
            }
        } catch (RuntimeException | LinkageError e) {
            failures.add(new PluginLoadFailure(jar, "failed while loading: " + describe(e)));
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (provided == 0) {
            failures.add(new PluginLoadFailure(jar, "provides no model family: the JAR has no "
                    + "META-INF/services/" + ModelFamily.class.getName() + " entry (or it is empty)"));
        }
        return new Result(jar, stamp, List.copyOf(families), List.copyOf(failures), null);
    }

    /** Why the host refuses this family, or null when it is fit to list and train. */
    static String check(ModelFamily family) {
        int version;
        int evolving;
        String id;
        ParamSchema schema;
        try {
            version = family.apiVersion();
            evolving = family.evolvingApiVersion();
            id = family.id();
            family.displayName();
            family.description();
            if (family.dataKinds() == null || family.dataKinds().isEmpty()) return "declares no data kinds (dataKinds() is empty)";
            schema = family.params();
        } catch (RuntimeException | LinkageError e) {
            return "failed to describe itself: " + describe(e);
        }
        if (version != PluginApi.VERSION) {
            return "was built for plugin API version " + version + ", but this nnlab provides version " + PluginApi.VERSION
                    + (version > PluginApi.VERSION ? " (the plugin is newer: update nnlab)" : " (rebuild the plugin against this API)");
        }
        if (evolving > PluginApi.EVOLVING) {
            return "was built for plugin API " + version + "." + evolving + " (evolving types revision " + evolving
                    + "), but this nnlab provides " + PluginApi.describe() + " (revision " + PluginApi.EVOLVING
                    + "): the plugin needs a newer nnlab";
        }
        if (id == null || !id.matches("[a-z0-9_-]{1,40}")) return "has an invalid id " + id + " (allowed: [a-z0-9_-]{1,40})";
        if (schema == null) return "has no parameter schema (params() returned null)";
        return schemaProblem(schema);
    }

    /** Every default must be a value its own parameter accepts; otherwise no run could ever start. */
    static String schemaProblem(ParamSchema schema) {
        for (ParamSpec s : schema.specs()) {
            try {
                ParamSchema.coerce(s, s.defaultValue(), "params." + s.name());
            } catch (InvalidParamException | IllegalArgumentException e) {
                return "has an invalid schema: the default of '" + s.name() + "' (" + s.defaultValue()
                        + ") is not allowed by the parameter itself (" + s.allowed() + ")";
            }
        }
        return null;
    }

    private static String zipProblem(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) entries.nextElement();
            return null;
        } catch (ZipException e) {
            return e.getMessage();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Path shadowCopy(byte[] bytes, String sha) throws IOException {
        Path dir = cacheDir();
        Path copy = dir.resolve(sha + ".jar");
        if (Files.exists(copy) && Files.size(copy) == bytes.length) return copy;
        Path tmp = Files.createTempFile(dir, sha, ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        copy.toFile().deleteOnExit();
        return copy;
    }

    private static Path cacheDir;

    /** One folder per process for the loaded copies, removed when the process ends. */
    static synchronized Path cacheDir() throws IOException {
        if (cacheDir == null) {
            cacheDir = Files.createTempDirectory("nnlab-plugins-");
            cacheDir.toFile().deleteOnExit();
        }
        return cacheDir;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Result refused(Path jar, Stamp stamp, String reason) {
        return new Result(jar, stamp, List.of(), List.of(new PluginLoadFailure(jar, reason)), null);
    }

    private static Result pending(Path jar, Stamp stamp, String reason) {
        return new Result(jar, stamp, List.of(), List.of(), reason);
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? msg : msg + " (caused by " + root + ")";
    }
}
