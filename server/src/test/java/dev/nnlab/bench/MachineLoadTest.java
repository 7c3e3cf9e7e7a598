package dev.nnlab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MachineLoadTest {

    @Test
    void reads_the_first_field_of_proc_loadavg(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("loadavg"), "6.67 5.27 3.09 3/412 3414\n");
        assertThat(MachineLoad.oneMinuteLoad(f)).isEqualTo(6.67);
        assertThat(MachineLoad.oneMinuteLoad(dir.resolve("absent"))).isNaN();
    }

    @Test
    void a_load_above_the_core_count_is_called_busy_and_one_below_is_not() {
        assertThat(MachineLoad.describe(6.7, 2)).contains("6.7 on 2 cores").contains("busy");
        assertThat(MachineLoad.describe(1.5, 2)).contains("1.5 on 2 cores").doesNotContain("busy");
        assertThat(MachineLoad.describe(Double.NaN, 2)).isNull();
    }
}
