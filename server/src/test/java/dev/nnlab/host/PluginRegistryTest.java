package dev.nnlab.host;

import dev.nnlab.spi.PluginApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginRegistryTest {

    @Test
    void built_in_families_are_discovered_from_their_jars_like_a_strangers() {
        PluginRegistry r = PluginRegistry.load(PluginJars.builtInPlugins());
        assertThat(r.families()).containsKeys("softmax", "mlp");
        assertThat(r.failures()).isEmpty();
        LoadedFamily mlp = r.family("mlp");
        assertThat(mlp.jar().getFileName().toString()).isEqualTo("nnlab-mlp.jar");
        assertThat(mlp.family().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(mlp.version()).isNotBlank();
        // Nothing of a plugin is on the host's class path.
        assertThatThrownBy(() -> Class.forName(mlp.family().getClass().getName())).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void built_in_families_declare_the_evolving_revision_they_are_built_against() {
        PluginRegistry r = PluginRegistry.load(PluginJars.builtInPlugins());
        assertThat(r.families()).containsKeys("softmax", "mlp", "cnn", "resnet", "lstm", "word2vec");
        // They use evolving types (layers, Architecture, SupervisedTraining), so revision 0 would be a false claim.
        r.families().values().forEach(f -> assertThat(f.family().evolvingApiVersion()).as(f.family().id()).isEqualTo(PluginApi.EVOLVING));
    }

    @Test
    void each_jar_gets_its_own_loader_that_shares_only_the_api() {
        PluginRegistry r = PluginRegistry.load(PluginJars.builtInPlugins());
        ClassLoader a = r.family("mlp").family().getClass().getClassLoader();
        ClassLoader b = r.family("softmax").family().getClass().getClassLoader();
        assertThat(a).isNotSameAs(b);
        assertThat(PluginClassLoader.isApiClass("dev.nnlab.spi.ModelFamily")).isTrue();
        assertThat(PluginClassLoader.isApiClass("dev.nnlab.nn.layers.Dense")).isTrue();
        assertThat(PluginClassLoader.isApiClass("dev.nnlab.store.Store")).isFalse();
        assertThat(PluginClassLoader.isApiClass("dev.nnlab.plugins.mlp.MultilayerPerceptron")).isFalse();
    }

    @Test
    void a_jar_that_provides_nothing_is_refused_loudly(@TempDir Path dir) throws Exception {
        PluginJars.build(dir.resolve("empty.jar"), "org.example", "Lonely",
                PluginJars.family("org.example", "Lonely", "lonely", "PluginApi.VERSION", "return TrainResult.finished();"), false);
        PluginRegistry r = PluginRegistry.load(dir);
        assertThat(r.families()).isEmpty();
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.jar().getFileName().toString()).isEqualTo("empty.jar");
            assertThat(f.reason()).contains("provides no model family").contains("META-INF/services/dev.nnlab.spi.ModelFamily");
        });
    }

    @Test
    void a_plugin_built_for_another_api_version_is_refused_naming_both(@TempDir Path dir) throws Exception {
        PluginJars.build(dir.resolve("future.jar"), "org.example", "Future",
                PluginJars.family("org.example", "Future", "future", "99", "return TrainResult.finished();"), true);
        PluginRegistry r = PluginRegistry.load(dir);
        assertThat(r.families()).doesNotContainKey("future");
        assertThat(r.failures()).singleElement().extracting(PluginLoadFailure::reason).asString()
                .contains("version 99").contains("version " + PluginApi.VERSION);
    }

    @Test
    void a_second_family_with_a_taken_id_is_refused_and_the_first_kept(@TempDir Path dir) throws Exception {
        PluginJars.copyBuiltIns(dir);
        PluginJars.build(dir.resolve("zz-impostor.jar"), "org.example", "Impostor",
                PluginJars.family("org.example", "Impostor", "mlp", "PluginApi.VERSION", "return TrainResult.finished();"), true);
        PluginRegistry r = PluginRegistry.load(dir);
        assertThat(r.family("mlp").jar().getFileName().toString()).isEqualTo("nnlab-mlp.jar");
        assertThat(r.failures()).singleElement().extracting(PluginLoadFailure::reason).asString()
                .contains("'mlp' is already provided by nnlab-mlp.jar");
    }

    @Test
    void a_missing_plugins_folder_is_reported_not_fatal(@TempDir Path dir) {
        PluginRegistry r = PluginRegistry.load(dir.resolve("nowhere"));
        assertThat(r.families()).isEmpty();
        assertThat(r.failures()).singleElement().extracting(PluginLoadFailure::reason).asString().contains("does not exist");
    }
}
