package dev.nnlab.host;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds real plugin JARs inside a test: compiles a ModelFamily source against the plugin API and
 * packs it with (or without) its services file, as a third party's build would.
 */
public final class PluginJars {
    private PluginJars() {}

    /** The root directory of the nnlab checkout (tests run with the module folder as working directory). */
    public static Path checkoutRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("plugins-api")) ? cwd : cwd.getParent();
    }

    /** The top-level plugins/ folder with the built-in family JARs (packaged before the server's tests run). */
    public static Path builtInPlugins() {
        return checkoutRoot().resolve("plugins");
    }

    /**
     * Compiles {@code source} (a public class {@code className} in package {@code pkg}) into a JAR at
     * {@code jar}; with {@code services}, registers it as a ModelFamily provider.
     */
    public static Path build(Path jar, String pkg, String className, String source, boolean services) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path src = work.resolve(pkg.replace('.', '/')).resolve(className + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--add-modules", "jdk.incubator.vector", "-proc:none",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
        if (rc != 0) throw new IllegalStateException("test plugin did not compile: " + className);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (services) {
                out.putNextEntry(new JarEntry("META-INF/services/dev.nnlab.spi.ModelFamily"));
                write(out, pkg + "." + className + "\n");
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * Packs a family compiled with the tests (its class and nested classes, from the test classes
     * folder) into a JAR with its services file: a test family written as ordinary source, loaded
     * through its own plugin class loader like any third party's.
     */
    public static Path pack(Path jar, Class<?> family) throws IOException {
        Path classes;
        try {
            classes = Path.of(family.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        String folder = family.getPackageName().replace('.', '/');
        String simple = family.getSimpleName();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(classes.resolve(folder))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals(simple + ".class")
                    || p.getFileName().toString().startsWith(simple + "$")).toList()) {
                out.putNextEntry(new JarEntry(folder + "/" + f.getFileName()));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.nnlab.spi.ModelFamily"));
            write(out, family.getName() + "\n");
            out.closeEntry();
        }
        return jar;
    }

    /** A family whose every method works, with {@code apiVersion} and a {@code train} body of the caller's choosing. */
    public static String family(String pkg, String className, String id, String apiVersion, String trainBody) {
        return """
                package %s;
                import dev.nnlab.spi.*;
                import java.util.Set;
                public class %s implements ModelFamily {
                    public String id() { return "%s"; }
                    public String displayName() { return "Test family %s"; }
                    public String description() { return "A family built by a test."; }
                    public int apiVersion() { return %s; }
                    public ParamSchema params() { return CommonParams.SCHEMA; }
                    public Set<DataKind> dataKinds() { return Set.of(DataKind.VECTOR, DataKind.IMAGE); }
                    public TrainResult train(TrainingJob job, RunSink sink) throws Exception { %s }
                    static int recurse(int n) { return recurse(n + 1) + 1; }
                }
                """.formatted(pkg, className, id, id, apiVersion, trainBody);
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Copies the built-in JARs into {@code dir}, so a test can add its own beside them. */
    public static void copyBuiltIns(Path dir) throws IOException {
        try (Stream<Path> jars = Files.list(builtInPlugins())) {
            for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).toList()) Files.copy(j, dir.resolve(j.getFileName()));
        }
    }

    public static List<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
