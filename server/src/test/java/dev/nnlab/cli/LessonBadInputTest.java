package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A lesson whose checks could never be measured is a bad spec: exit 2 at its JSON path, nothing recorded. */
class LessonBadInputTest {

    private static final String SPEC = """
            {"name":"x","family":"mlp","dataset":"spirals","epochs":2,"grid":{"optimizer":["sgd","momentum"]},
             "lesson":{"claim":"Momentum helps.","source":"CS231n","checks":[CHECK]}}""";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown statistic    | {"statistic":"train_losss","group":{},"compare":"<","value":1}                                          | $.lesson.checks[0].statistic | train_losss | train_loss
            layer stat, no layer | {"statistic":"act_std","group":{},"compare":"<","value":1}                                              | $.lesson.checks[0].layer     | missing     | required
            not a layer name     | {"statistic":"act_std","layer":"Tanh 9","group":{},"compare":"<","value":1}                            | $.lesson.checks[0].layer     | Tanh 9      | last:tanh
            layer on a metric    | {"statistic":"train_loss","layer":"tanh1","group":{},"compare":"<","value":1}                          | $.lesson.checks[0].layer     | train_loss  | leave out
            unknown parameter    | {"statistic":"train_loss","group":{"optimiser":"sgd"},"compare":"<","value":1}                          | $.lesson.checks[0].group.optimiser | optimiser | lr
            group of no trial    | {"statistic":"train_loss","group":{"optimizer":"adam"},"compare":"<","other":{"optimizer":"sgd"}}      | $.lesson.checks[0].group     | optimizer=adam | [sgd, momentum]
            other of no trial    | {"statistic":"train_loss","group":{"optimizer":"sgd"},"compare":"<","other":{"optimizer":"nesterov"}}  | $.lesson.checks[0].other     | optimizer=nesterov | [sgd, momentum]
            same groups          | {"statistic":"train_loss","group":{"optimizer":"sgd"},"compare":"<","other":{"optimizer":"sgd"}}       | $.lesson.checks[0].other     | same trials | different
            epoch never reached  | {"statistic":"train_loss","at":{"epoch":3},"group":{},"compare":"<","value":1}                          | $.lesson.checks[0].at.epoch  | epoch 3     | trains 2 epoch(s)
            epoch of a run value | {"statistic":"stop_epoch","at":{"epoch":1},"group":{},"compare":"<","value":1}                           | $.lesson.checks[0].at        | stop_epoch  | one value per run
            unknown comparison   | {"statistic":"train_loss","group":{},"compare":"=<","value":1}                                          | $.lesson.checks[0].compare   | =<          | [<, <=, >, >=]
            both other and value | {"statistic":"train_loss","group":{"optimizer":"sgd"},"compare":"<","other":{"optimizer":"momentum"},"value":1} | $.lesson.checks[0] | exactly one | other
            bad range            | {"statistic":"train_loss","group":{},"compare":"within","value":[2,1]}                                  | $.lesson.checks[0].value     | [2,1]       | low < high
            status between groups| {"statistic":"status","group":{"optimizer":"sgd"},"compare":"==","other":{"optimizer":"momentum"}}     | $.lesson.checks[0].other     | status      | with a value
            unknown check field  | {"statistic":"train_loss","group":{},"compare":"<","value":1,"seeds":2}                                 | $.lesson.checks[0].seeds     | unknown     | statistic
            """)
    void a_check_that_cannot_be_measured_exits_2_at_its_path(String what, String check, String path, String value, String allowed,
                                                              @TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("bad-lesson.json"), SPEC.replace("CHECK", check));
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("empty-data").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("bad-lesson.json").contains(path + ":").contains(value).contains(allowed);
        if (Files.exists(db)) {
            try (Store store = Store.open(db)) {
                assertThat(store.experiments().list()).isEmpty();
            }
        }
    }
}
