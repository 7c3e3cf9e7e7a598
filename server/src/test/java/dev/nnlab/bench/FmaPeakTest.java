package dev.nnlab.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The nominal peak counts what an FMA unit retires per cycle, not the vector width alone. */
class FmaPeakTest {

    private static List<String> cpu(String vendor, int family) {
        return List.of("processor\t: 0", "vendor_id\t: " + vendor, "cpu family\t: " + family, "model\t\t: 17",
                "model name\t: Some CPU", "cpu MHz\t\t: 2450.000");
    }

    @Test
    void zen4_runs_512_bit_fma_on_256_bit_units() {
        assertThat(FmaPeak.datapathBits(cpu("AuthenticAMD", 0x19))).isEqualTo(256);
        assertThat(FmaPeak.datapathBits(cpu("AuthenticAMD", 0x17))).isEqualTo(256);
    }

    @Test
    void zen5_and_intel_units_are_as_wide_as_the_vectors() {
        assertThat(FmaPeak.datapathBits(cpu("AuthenticAMD", 0x1A))).isGreaterThanOrEqualTo(512);
        assertThat(FmaPeak.datapathBits(cpu("GenuineIntel", 6))).isGreaterThanOrEqualTo(512);
    }

    @Test
    void peak_is_cores_times_datapath_lanes_times_units_times_two_times_clock() {
        FmaPeak zen4 = new FmaPeak(2, 16, 8, 2, 2.45);
        assertThat(zen4.gflops()).isCloseTo(2 * 8 * 2 * 2 * 2.45, within(1e-9));
        assertThat(zen4.derivation()).contains("8 fp32 lanes (512-bit vectors on 256-bit FMA units)");
        FmaPeak wide = new FmaPeak(2, 16, 16, 2, 2.45);
        assertThat(wide.gflops()).isCloseTo(313.6, within(1e-9));
        assertThat(wide.derivation()).contains("16 fp32 lanes (512-bit vectors)");
    }
}
