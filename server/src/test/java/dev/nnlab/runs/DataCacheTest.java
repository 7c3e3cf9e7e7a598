package dev.nnlab.runs;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.data.TokenPreparation;
import dev.nnlab.data.TrainingData;
import dev.nnlab.spi.DataKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataCacheTest {
    @TempDir Path dataDir;

    private DataCache cache(long budget) {
        return new DataCache(new DatasetCatalog(dataDir, dataDir.resolve("no-debian")), budget);
    }

    @Test
    void trials_with_the_same_dataset_and_preparation_share_one_prepared_copy() throws Exception {
        DataCache cache = cache(1L << 30);
        TrainingData a = cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.1, "standardize", 0));
        TrainingData b = cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.1, "standardize", 0));
        TrainingData c = cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.2, "standardize", 0));
        assertThat(b).isSameAs(a);
        assertThat(c).isNotSameAs(a);
        assertThat(((LabelledTensors) c).validation().size()).isGreaterThan(((LabelledTensors) a).validation().size());
        // the raw load is shared too: one raw entry, two prepared ones
        assertThat(cache.holdings()).hasSize(3).anyMatch(h -> h.startsWith("spirals raw"));
    }

    @Test
    void trials_asking_at_the_same_time_wait_for_one_preparation() throws Exception {
        DataCache cache = cache(1L << 30);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<TrainingData>> got = new ArrayList<>();
            Callable<TrainingData> task = () -> cache.prepare("markov-text", DataKind.TOKEN_STREAM, new TokenPreparation(10));
            for (int i = 0; i < 4; i++) got.add(pool.submit(task));
            TrainingData first = got.getFirst().get();
            for (Future<TrainingData> f : got) assertThat(f.get()).isSameAs(first);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void beyond_its_budget_the_cache_forgets_the_least_recently_used_entries() throws Exception {
        // Spirals (300 x 2 floats + labels) take a few kB per copy: a 12 kB budget holds about two entries.
        DataCache cache = cache(12_000);
        TrainingData first = cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.1, "none", 0));
        cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.2, "none", 0));
        cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.3, "none", 0));
        assertThat(cache.usedBytes()).isLessThanOrEqualTo(12_000);
        assertThat(cache.holdings()).noneMatch(h -> h.contains("valFraction=0.1 "));
        assertThat(cache.holdings()).anyMatch(h -> h.contains("valFraction=0.3"));
        // Forgotten, not broken: asking again prepares it afresh.
        TrainingData again = cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.1, "none", 0));
        assertThat(again).isNotSameAs(first);
        assertThat(((LabelledTensors) again).train().size()).isEqualTo(((LabelledTensors) first).train().size());
    }

    @Test
    void within_its_budget_nothing_is_evicted() throws Exception {
        DataCache cache = cache(1L << 30);
        TrainingData first = cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.1, "none", 0));
        for (double v : new double[]{0.2, 0.3, 0.4}) cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(v, "none", 0));
        assertThat(cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.1, "none", 0))).isSameAs(first);
        assertThat(cache.holdings()).hasSize(5);
    }

    @Test
    void a_failed_preparation_is_not_cached_and_fails_again_with_its_reason() {
        DataCache cache = cache(1L << 30);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.prepare("spirals", DataKind.VECTOR, new LabelledPreparation(0.1, "none", 100_000)))
                    .hasMessageContaining("trainSamples = 100000 is more than");
        }
        assertThat(cache.holdings()).noneMatch(h -> h.contains("trainSamples=100000"));
        assertThatThrownBy(() -> cache.prepare("spirals", DataKind.TOKEN_STREAM, new TokenPreparation(0)))
                .hasMessageContaining("dataset 'spirals' holds [VECTOR], not TOKEN_STREAM");
    }
}
