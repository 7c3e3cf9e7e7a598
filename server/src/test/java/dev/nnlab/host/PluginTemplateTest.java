package dev.nnlab.host;

import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin template of plugins/template (a standalone Maven project, outside nnlab's build) is
 * what the README tells authors to copy: its sources and tests compile against the API, and the JAR
 * they make loads and trains like any other plugin. No Maven, no network: javax.tools.
 */
class PluginTemplateTest {
    static final Path TEMPLATE = PluginJars.checkoutRoot().resolve("plugins/template");

    static List<String> javaFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
    }

    static void compile(List<String> sources, Path out, Path alsoOnClassPath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-proc:none",
                "-cp", System.getProperty("java.class.path") + java.io.File.pathSeparator + alsoOnClassPath, "-d", out.toString()));
        args.addAll(sources);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        assertThat(rc).as("javac: " + err).isZero();
    }

    @Test
    void the_template_compiles_against_the_api_and_its_jar_loads_and_trains(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(javaFiles(TEMPLATE.resolve("src/main/java")), classes, classes);
        Path testClasses = Files.createDirectories(dir.resolve("test-classes"));
        compile(javaFiles(TEMPLATE.resolve("src/test/java")), testClasses, classes);
        assertThat(testClasses.resolve("org/example/nnlab/TwoLayerNetTest.class")).exists();

        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path resources = TEMPLATE.resolve("src/main/resources");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("two-layer-net.jar")))) {
            for (Path root : List.of(classes, resources)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        jar.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, jar);
                        jar.closeEntry();
                    }
                }
            }
        }

        try (Workbench wb = Workbench.open(dir.resolve("n.db"), plugins, dir.resolve("data"), "test", null)) {
            assertThat(wb.plugins().failures()).isEmpty();
            assertThat(wb.plugins().family("two-layer-net").family().displayName()).isEqualTo("Two-layer net (template)");
            String spec = """
                    {"name":"template","family":"two-layer-net","dataset":"blobs","epochs":3,"params":{"width":8,"logEvery":5}}""";
            BatchService.Batch b = wb.batches().record("spec.json", wb.batches().plan("spec.json", spec));
            Map<Long, RunStatus> done = wb.batches().execute(b, 1, TrialListener.NONE, new AtomicBoolean());
            assertThat(done.values()).containsExactly(RunStatus.FINISHED);
            long id = done.keySet().iterator().next();
            assertThat(wb.store().metrics().series(id, "test_acc")).isNotEmpty();
        }
    }
}
