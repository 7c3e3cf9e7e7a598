package dev.nnlab.spi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StringParamTest {
    private final ParamSchema schema = new ParamSchema(List.of(ParamSpec.ofString("layers", "w3", "A layer stack.")));

    @Test
    void a_line_of_text_is_accepted_trimmed_and_the_default_fills_a_missing_value() {
        assertThat(schema.resolve(Map.of("layers", "  conv3x3x8p1,relu,fc10 "), "$.params"))
                .containsEntry("layers", "conv3x3x8p1,relu,fc10");
        assertThat(schema.resolve(Map.of(), "$.params")).containsEntry("layers", "w3");
    }

    @Test
    void blank_multi_line_over_long_and_non_text_values_are_refused_naming_the_field_and_the_rule() {
        for (Object bad : List.of("  ", "conv3x3x8\nfc10", "x".repeat(ParamSchema.MAX_STRING + 1), 5)) {
            assertThatThrownBy(() -> schema.resolve(Map.of("layers", bad), "$.params"))
                    .isInstanceOf(InvalidParamException.class)
                    .hasMessageContaining("$.params.layers")
                    .hasMessageContaining("a non-blank line of at most 500 characters");
        }
    }
}
