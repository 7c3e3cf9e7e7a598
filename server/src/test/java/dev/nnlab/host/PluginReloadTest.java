package dev.nnlab.host;

import dev.nnlab.spi.PluginApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry follows its folder: JARs added, replaced, removed, still being copied, or broken. */
class PluginReloadTest {
    static final String FINE = "return TrainResult.finished();";
    static final String SCHEMA = "CommonParams.SCHEMA";

    static byte[] jar(String cls, String id, String version) throws Exception {
        return PluginJars.bytes("org.example", cls, PluginJars.family("org.example", cls, id, version, SCHEMA, "", FINE));
    }

    /** Makes a file look as if it was written long ago: it is not being copied any more. */
    static void settle(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void a_jar_added_replaced_and_removed_is_seen_by_the_next_scan_and_listeners_are_told(@TempDir Path dir) throws Exception {
        PluginRegistry r = PluginRegistry.load(dir);
        AtomicInteger told = new AtomicInteger();
        r.onChange(x -> told.incrementAndGet());
        assertThat(r.families()).isEmpty();
        assertThat(r.rescan()).as("nothing changed").isFalse();

        byte[] v1 = jar("Drop", "drop", "1.0");
        Path target = dir.resolve("drop.jar");
        Files.write(target, v1);
        settle(target);
        assertThat(r.rescan()).isTrue();
        LoadedFamily first = r.family("drop");
        assertThat(first.version()).isEqualTo("1.0");
        assertThat(first.sha256()).isEqualTo(JarLoader.sha256(v1));
        assertThat(r.rescan()).as("an unchanged JAR keeps its classes").isFalse();
        assertThat(r.family("drop")).isSameAs(first);

        byte[] v2 = jar("Drop", "drop", "2.0");
        Files.write(target, v2); // in place, as cp does
        settle(target);
        assertThat(r.rescan()).isTrue();
        LoadedFamily second = r.family("drop");
        assertThat(second.version()).isEqualTo("2.0");
        assertThat(second.sha256()).isEqualTo(JarLoader.sha256(v2)).isNotEqualTo(first.sha256());
        assertThat(second.family().getClass()).isNotSameAs(first.family().getClass());
        // The old build still works for whoever holds it: its JAR is a private copy, not the replaced file.
        Class<?> oldHelper = first.family().getClass().getClassLoader().loadClass("org.example.Drop$Helper");
        var ctor = oldHelper.getDeclaredConstructor();
        ctor.setAccessible(true);
        var value = oldHelper.getDeclaredMethod("value");
        value.setAccessible(true);
        assertThat(value.invoke(ctor.newInstance())).isEqualTo(1.0);

        Files.delete(target);
        assertThat(r.rescan()).isTrue();
        assertThat(r.families()).isEmpty();
        assertThat(r.failures()).isEmpty();
        assertThat(told.get()).isEqualTo(3);
    }

    @Test
    void a_half_copied_jar_is_pending_while_it_grows_then_loads_once_complete(@TempDir Path dir) throws Exception {
        byte[] whole = jar("Slow", "slow", "1.0");
        Path target = dir.resolve("slow.jar");
        Files.write(target, Arrays.copyOf(whole, whole.length / 2)); // just written: a copy in progress
        PluginRegistry r = PluginRegistry.load(dir);
        assertThat(r.families()).isEmpty();
        assertThat(r.failures()).as("not reported as corrupt").isEmpty();
        assertThat(r.pending()).singleElement().extracting(PluginLoadFailure::reason).asString().contains("copy in progress");

        Files.write(target, whole);
        settle(target);
        r.rescan();
        assertThat(r.pending()).isEmpty();
        assertThat(r.failures()).isEmpty();
        assertThat(r.family("slow").version()).isEqualTo("1.0");
    }

    @Test
    void a_jar_that_stays_truncated_or_empty_is_reported_corrupt_with_the_reason(@TempDir Path dir) throws Exception {
        byte[] whole = jar("Cut", "cut", "1.0");
        Path cut = dir.resolve("cut.jar");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 30));
        settle(cut);
        Path empty = dir.resolve("empty.jar");
        Files.write(empty, new byte[0]);
        settle(empty);
        Path text = dir.resolve("text.jar");
        Files.writeString(text, "this is not a zip file at all");
        settle(text);

        PluginRegistry r = PluginRegistry.load(dir);
        assertThat(r.pending()).isEmpty();
        assertThat(r.failures()).extracting(f -> f.jar().getFileName() + ": " + f.reason())
                .anySatisfy(s -> assertThat(s).startsWith("cut.jar: corrupt JAR: not a readable zip file"))
                .anySatisfy(s -> assertThat(s).isEqualTo("empty.jar: the JAR is empty (0 bytes)"))
                .anySatisfy(s -> assertThat(s).startsWith("text.jar: corrupt JAR: not a readable zip file"))
                .hasSize(3);
    }

    @Test
    void providers_that_are_missing_throw_or_declare_a_broken_schema_are_refused_each_with_its_reason(@TempDir Path dir) throws Exception {
        // The services file names a class the JAR does not hold.
        Path missing = PluginJars.build(dir.resolve("missing.jar"), "org.example", "Present",
                PluginJars.family("org.example", "Present", "present", "1", SCHEMA, "", FINE), false);
        try (var fs = java.nio.file.FileSystems.newFileSystem(missing)) {
            Path services = fs.getPath("META-INF/services/dev.nnlab.spi.ModelFamily");
            Files.createDirectories(services.getParent());
            Files.writeString(services, "org.example.Absent\n");
        }
        PluginJars.build(dir.resolve("throws.jar"), "org.example", "Throws",
                PluginJars.family("org.example", "Throws", "throws", "1", SCHEMA, "throw new IllegalStateException(\"no config\");", FINE), true);
        PluginJars.build(dir.resolve("range.jar"), "org.example", "Range",
                PluginJars.family("org.example", "Range", "range", "1",
                        "CommonParams.SCHEMA.with(java.util.List.of(ParamSpec.ofFloat(\"dropout\", 1.5, \"d\").min(0, true).max(1, false)))", "", FINE), true);
        PluginJars.build(dir.resolve("twice.jar"), "org.example", "Twice",
                PluginJars.family("org.example", "Twice", "twice", "1",
                        "new ParamSchema(java.util.List.of(ParamSpec.ofInt(\"k\", 1, \"a\"), ParamSpec.ofInt(\"k\", 2, \"b\")))", "", FINE), true);
        for (String j : new String[] {"missing.jar", "throws.jar", "range.jar", "twice.jar"}) settle(dir.resolve(j));

        PluginRegistry r = PluginRegistry.load(dir);
        assertThat(r.families()).isEmpty();
        assertThat(r.failures()).extracting(f -> f.jar().getFileName() + ": " + f.reason())
                .anySatisfy(s -> assertThat(s).startsWith("missing.jar: a provider failed to load").contains("org.example.Absent"))
                .anySatisfy(s -> assertThat(s).startsWith("throws.jar: a provider failed to load").contains("no config"))
                .anySatisfy(s -> assertThat(s).startsWith("range.jar: org.example.Range has an invalid schema")
                        .contains("'dropout' (1.5)"))
                .anySatisfy(s -> assertThat(s).startsWith("twice.jar: org.example.Twice failed to describe itself")
                        .contains("duplicate parameter k"))
                .hasSize(4);
    }

    @Test
    void a_family_id_in_two_folders_is_taken_from_the_first_and_the_second_reported(@TempDir Path dir) throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.write(mine.resolve("my-mlp.jar"), jar("Mlp", "mlp", "9.9"));
        Files.write(mine.resolve("extra.jar"), jar("Extra", "extra", "1.0"));
        settle(mine.resolve("my-mlp.jar"));
        settle(mine.resolve("extra.jar"));

        PluginRegistry r = PluginRegistry.load(java.util.List.of(PluginJars.builtInPlugins(), mine, PluginJars.builtInPlugins()));
        assertThat(r.directories()).hasSize(2);
        assertThat(r.families()).containsKeys("mlp", "softmax", "extra");
        assertThat(r.family("mlp").jar().getFileName().toString()).isEqualTo("nnlab-mlp.jar");
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.jar().getFileName().toString()).isEqualTo("my-mlp.jar");
            assertThat(f.reason()).contains("'mlp' is already provided by nnlab-mlp.jar in ");
        });
    }

    @Test
    void a_plugin_needing_a_newer_revision_of_the_evolving_types_is_refused_naming_both_and_an_older_one_loads(@TempDir Path dir)
            throws Exception {
        String newer = PluginJars.family("org.example", "Newer", "newer", "1", SCHEMA, "", FINE)
                .replace("public int apiVersion()", "public int evolvingApiVersion() { return PluginApi.EVOLVING + 1; }\n    public int apiVersion()");
        String older = PluginJars.family("org.example", "Older", "older", "1", SCHEMA, "", FINE)
                .replace("public int apiVersion()", "public int evolvingApiVersion() { return PluginApi.EVOLVING - 1; }\n    public int apiVersion()");
        PluginJars.build(dir.resolve("newer.jar"), "org.example", "Newer", newer, true);
        PluginJars.build(dir.resolve("older.jar"), "org.example", "Older", older, true);

        PluginRegistry r = PluginRegistry.load(dir);
        assertThat(r.families()).containsOnlyKeys("older");
        assertThat(r.failures()).singleElement().extracting(PluginLoadFailure::reason).asString()
                .contains("built for plugin API " + PluginApi.VERSION + "." + (PluginApi.EVOLVING + 1))
                .contains("this nnlab provides " + PluginApi.VERSION + "." + PluginApi.EVOLVING)
                .contains("needs a newer nnlab");
    }
}
