package dev.nnlab.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared secret: what it derives, what it proves, and where it is required. */
class ClusterSecretTest {
    static final ClusterSecret A = new ClusterSecret("correct horse battery staple".getBytes(StandardCharsets.UTF_8));
    static final ClusterSecret B = new ClusterSecret("another secret of some length".getBytes(StandardCharsets.UTF_8));

    @Test
    void members_with_one_secret_share_a_cluster_name_that_members_with_another_or_none_do_not() {
        assertThat(A.clusterName("lab")).isEqualTo(new ClusterSecret("correct horse battery staple".getBytes(StandardCharsets.UTF_8))
                .clusterName("lab")).startsWith("lab-").hasSize("lab-".length() + 16);
        assertThat(A.clusterName("lab")).isNotEqualTo(B.clusterName("lab")).isNotEqualTo("lab");
        assertThat(A.clusterName("lab")).isNotEqualTo(A.clusterName("lab2"));
    }

    @Test
    void a_proof_holds_for_its_address_and_secret_only() {
        String proof = A.proof("10.0.0.5");
        assertThat(A.verify(proof, "10.0.0.5")).isTrue();
        assertThat(A.verify(proof, "10.0.0.6")).as("replayed from another address").isFalse();
        assertThat(B.verify(proof, "10.0.0.5")).as("checked with another secret").isFalse();
        assertThat(A.verify(null, "10.0.0.5")).isFalse();
        assertThat(A.verify("garbage", "10.0.0.5")).isFalse();
        assertThat(A.proof("10.0.0.5")).as("a fresh nonce each time").isNotEqualTo(proof);
    }

    @Test
    void off_loopback_a_secret_is_required_and_on_loopback_it_is_not() {
        assertThatThrownBy(() -> new ClusterSettings("lab", List.of("127.0.0.1:5701"), "0.0.0.0", 5701, null, 1))
                .hasMessageStartingWith("--bind: 0.0.0.0 is not a loopback address").hasMessageContaining("NNLAB_CLUSTER_SECRET");
        assertThatThrownBy(() -> new ClusterSettings("lab", List.of("127.0.0.1:5701", "192.0.2.7:5701"), "127.0.0.1", 0, null, 1))
                .hasMessageStartingWith("--members: 192.0.2.7:5701 is not a loopback address");
        assertThat(new ClusterSettings("lab", List.of("127.0.0.1:5701"), "127.0.0.1", 0, null, 1).clusterName()).isEqualTo("lab");
        assertThat(new ClusterSettings("lab", List.of("192.0.2.7:5701"), "0.0.0.0", 0, A, 1).clusterName()).isEqualTo(A.clusterName("lab"));
    }

    @Test
    void bad_settings_name_the_option_value_and_what_is_allowed() {
        assertThatThrownBy(() -> new ClusterSettings("lab", List.of("127.0.0.1"), "127.0.0.1", 0, null, 1))
                .hasMessageStartingWith("--members: \"127.0.0.1\" is not allowed; expected HOST:PORT");
        assertThatThrownBy(() -> new ClusterSettings("lab", List.of("127.0.0.1:70000"), "127.0.0.1", 0, null, 1))
                .hasMessageStartingWith("--members: \"127.0.0.1:70000\" is not allowed");
        assertThatThrownBy(() -> new ClusterSettings("my lab", List.of("127.0.0.1:5701"), "127.0.0.1", 0, null, 1))
                .hasMessageStartingWith("--cluster: \"my lab\" is not allowed");
        assertThatThrownBy(() -> new ClusterSettings("lab", List.of(), "127.0.0.1", 0, null, 1))
                .hasMessageStartingWith("--members: give at least one HOST:PORT");
    }

    @Test
    void a_secret_comes_from_its_file_else_the_environment_and_must_not_be_short(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s"), "  correct horse battery staple\n");
        assertThat(ClusterSecret.resolve(file, "ignored because the file wins").clusterName("x")).isEqualTo(A.clusterName("x"));
        assertThat(ClusterSecret.resolve(null, "correct horse battery staple").clusterName("x")).isEqualTo(A.clusterName("x"));
        assertThat(ClusterSecret.resolve(null, null)).isNull();
        assertThatThrownBy(() -> ClusterSecret.resolve(Files.writeString(dir.resolve("short"), "hunter2"), null))
                .hasMessageContaining("--secret-file: ").hasMessageContaining("has 7 byte(s); it needs at least 16");
        assertThatThrownBy(() -> ClusterSecret.resolve(dir.resolve("missing"), null)).hasMessageEndingWith("missing: no such file");
        assertThatThrownBy(() -> ClusterSecret.resolve(null, "short")).hasMessageStartingWith("NNLAB_CLUSTER_SECRET: ");
    }
}
