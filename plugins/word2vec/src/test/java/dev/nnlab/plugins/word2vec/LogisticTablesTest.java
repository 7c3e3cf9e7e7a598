package dev.nnlab.plugins.word2vec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogisticTablesTest {
    @Test
    void the_tables_match_the_logistic_function_inside_the_range() {
        for (float x = -5.9f; x < 5.9f; x += 0.37f) {
            double exact = 1 / (1 + Math.exp(-x));
            assertThat((double) LogisticTables.sigmoid(x)).as("sigmoid(%f)", x).isCloseTo(exact, within(0.01));
            assertThat((double) LogisticTables.logSigmoid(x)).as("log sigmoid(%f)", x).isCloseTo(Math.log(exact), within(0.03));
            assertThat((double) LogisticTables.negativeGradient(1, x)).isCloseTo(1 - exact, within(0.01));
            assertThat((double) LogisticTables.negativeGradient(0, x)).isCloseTo(-exact, within(0.01));
        }
    }

    @Test
    void a_saturated_output_gets_no_gradient_as_in_gensim() {
        // word2vec.c would step a confidently wrong output by the whole rate (label - 0 or label - 1).
        assertThat(LogisticTables.negativeGradient(0, 6.5f)).isZero();
        assertThat(LogisticTables.negativeGradient(1, -6.5f)).isZero();
        assertThat(LogisticTables.negativeGradient(1, 6f)).isZero();
        assertThat(LogisticTables.negativeGradient(0, -6f)).isZero();
        assertThat(LogisticTables.negativeGradient(0, 5.9f)).isLessThan(-0.99f);
        assertThat(LogisticTables.negativeGradient(1, -5.9f)).isGreaterThan(0.99f);
    }
}
