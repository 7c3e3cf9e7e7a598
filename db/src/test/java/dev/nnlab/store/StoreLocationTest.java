package dev.nnlab.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code --db} accepts: SQLite paths and PostgreSQL URLs, and clear refusals of anything else. */
class StoreLocationTest {

    @Test
    void a_path_or_sqlite_prefix_is_a_sqlite_file_with_its_artifacts_beside_it() {
        for (String v : new String[]{"data/runs.db", "sqlite:data/runs.db", "jdbc:sqlite:data/runs.db"}) {
            StoreLocation l = StoreLocation.parse(v);
            assertThat(l.sqliteFile()).as(v).contains(Path.of("data/runs.db").toAbsolutePath());
            assertThat(l.artifactDirectory()).isEqualTo(Path.of("data/runs-artifacts").toAbsolutePath());
        }
        assertThat(StoreLocation.defaultLocation().sqliteFile()).contains(Path.of("nnlab-data/nnlab.db").toAbsolutePath());
    }

    @Test
    void a_postgresql_url_becomes_a_jdbc_url_with_credentials_apart_and_a_display_without_the_password() {
        StoreLocation l = StoreLocation.parse("postgresql://ann:s%3Acret@db.example:5433/nnlab?sslmode=require&artifacts=/shared/art");
        PostgresDialect d = (PostgresDialect) l.dialect();
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/nnlab?sslmode=require");
        assertThat(d.user()).isEqualTo("ann");
        assertThat(d.password()).isEqualTo("s:cret");
        assertThat(l.describe()).isEqualTo("postgresql://ann@db.example:5433/nnlab?sslmode=require").doesNotContain("cret");
        assertThat(l.artifactDirectory()).isEqualTo(Path.of("/shared/art"));
        assertThat(l.sqliteFile()).isEmpty();

        StoreLocation alias = StoreLocation.parse("postgres://bob@127.0.0.1/runs");
        assertThat(((PostgresDialect) alias.dialect()).jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/runs");
        assertThat(alias.artifactDirectory()).isEqualTo(Path.of("nnlab-data/runs-artifacts").toAbsolutePath());

        StoreLocation jdbc = StoreLocation.parse("jdbc:postgresql://h:5432/nnlab?user=carol&ApplicationName=x");
        assertThat(((PostgresDialect) jdbc.dialect()).jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/nnlab?ApplicationName=x");
        assertThat(((PostgresDialect) jdbc.dialect()).user()).isEqualTo("carol");
    }

    @Test
    void anything_else_is_refused_with_the_value_the_reason_and_the_forms_allowed() {
        String[][] cases = {
                {"mysql://u@h/db", "SQLite or PostgreSQL only"},
                {"postgresql:/h/db", "begins with postgresql://"},
                {"postgresql://u@/db", "host"},
                {"postgresql://u@h:70000/db", "port"},
                {"postgresql://u@h", "name one database"},
                {"postgresql://u@h/a/b", "name one database"},
                {"jdbc:postgresql://u@h/db", "?user=USER"},
                {"sqlite:", "path is missing"},
                {"  ", "empty"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> StoreLocation.parse(c[0])).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + c[0] + "'")
                    .hasMessageContaining(c[1])
                    .hasMessageContaining(StoreLocation.FORMS);
        }
    }
}
