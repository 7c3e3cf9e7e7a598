package dev.nnlab.bench;

import dev.nnlab.catalog.GcideFromDebian;
import dev.nnlab.data.SentenceReader;
import dev.nnlab.data.SentenceSource;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TextFileSentences;
import dev.nnlab.data.WordCounts;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W6/W7 (PTB) and W6g/W7g (GCIDE, 5 epochs) as WORKLOADS.md defines them, for both sides: the
 * corpus file every side reads, and nnlab's run of the {@code word2vec} family.
 *
 * <p>Same settings on every side: dim 100, window 5, negative 5, minCount 5, sample 1e-4, lr 0.025
 * (skip-gram) / 0.05 (CBOW) decaying linearly to 1e-4 (gensim's min_alpha). Throughput: in-vocabulary
 * words (the corpus's tokens that survive minCount) times epochs per second of training. Before the
 * clock: the sentences are split and held in memory (gensim's token lists), the corpus is counted
 * (gensim's build_vocab) and a throw-away run trains on the first
 * {@value #WARMUP_WORDS} words, so C2 has compiled the training loop (gensim's warm-up trains on 2,000
 * sentences). The clock runs from {@code family.train} to the last epoch's {@code epoch_words_per_sec},
 * which the family reports before it evaluates and writes its vectors. Quality: the family's own
 * evaluation on {@code <dataDir>/analogy/} (the files the peers' {@code word_quality.py} reads).
 */
final class Word2VecWorkload {
    static final List<String> IDS = List.of("W6", "W7", "W6g", "W7g");
    static final int WARMUP_WORDS = 400_000;

    private Word2VecWorkload() {}

    static boolean covers(Workload w) { return IDS.contains(w.id()); }

    static boolean skipGram(Workload w) { return w.id().startsWith("W6"); }

    static boolean gcide(Workload w) { return w.id().endsWith("g"); }

    /** The corpus file of {@code w}: PTB's training file, or the GCIDE text (converted on first use). */
    static Path corpusFile(Workload w, Path dataDir) throws IOException {
        if (gcide(w)) return new GcideFromDebian().prepared(dataDir);
        return dataDir.resolve("ptb").resolve("ptb.train.txt");
    }

    /** The peers' extra arguments: the corpus file, so that every side trains on the same bytes. */
    static List<String> peerArgs(Workload w, BenchSettings s, PrintStream log) {
        if (!covers(w)) return List.of();
        try {
            return List.of("--corpus", corpusFile(w, s.dataDir()).toString());
        } catch (IOException | RuntimeException e) {
            log.println("  " + w.id() + ": no corpus for the peers: " + e.getMessage());
            return List.of("--corpus", "unavailable: " + e.getMessage());
        }
    }

    static Map<String, Object> params(Workload w, int epochs) {
        Map<String, Object> p = new HashMap<>();
        boolean sg = skipGram(w);
        double lr = sg ? 0.025 : 0.05;
        p.put("model", sg ? "skipgram" : "cbow");
        p.put("dim", 100);
        p.put("window", 5);
        p.put("output", "negative");
        p.put("negative", 5);
        p.put("minCount", 5);
        p.put("sample", 1e-4);
        p.put("lr", lr);
        p.put("minLrFraction", 1e-4 / lr);
        p.put("epochs", epochs);
        p.put("seed", 1);
        p.put("logEvery", 100);
        // pWord2Vec-style shared negatives for skip-gram: quality checked against gensim on W6g (README, benchmarks).
        p.put("sharedNegatives", sg);
        return p;
    }

    static Map<String, Object> run(Workload w, Path dataDir, Path pluginsDir, int threads, Integer epochsOverride,
                                   PrintStream log) throws Exception {
        return run(w, dataDir, pluginsDir, threads, epochsOverride, null, log);
    }

    /** As above with the family's {@code seed} set (a seed study of the quality); null keeps seed 1. */
    static Map<String, Object> run(Workload w, Path dataDir, Path pluginsDir, int threads, Integer epochsOverride,
                                   Integer seed, PrintStream log) throws Exception {
        ModelFamily family = NnlabWorkloadMain.family(pluginsDir, "word2vec");
        int epochs = w.epochs(epochsOverride);
        Path file = corpusFile(w, dataDir);
        if (!Files.isRegularFile(file)) throw new IllegalStateException(w.id() + ": missing corpus " + file);
        // The sentences split into words and held in memory before the clock, as gensim's token lists are.
        TextCorpus corpus = TextCorpus.counted(gcide(w) ? "gcide" : "ptb.train", "bench", inMemory(file));
        Map<String, Object> given = params(w, epochs);
        if (seed != null) given.put("seed", seed);
        Path analogy = dataDir.resolve("analogy");
        given.put("analogy", existing(analogy.resolve("questions-words.txt")));
        given.put("wordsim", existing(analogy.resolve("wordsim353.tsv")));
        given.put("simlex", existing(analogy.resolve("simlex999.txt")));
        Map<String, Object> params = family.params().resolve(given, "$." + w.id());
        long inVocabulary = inVocabulary(corpus.wordCounts(), 5);
        log.println("  nnlab: " + family.id() + " " + family.version() + " on " + corpus.describe() + ", "
                + inVocabulary + " in-vocabulary words per epoch, " + threads + " threads");

        Path warm = Files.createTempFile("nnlab-w2v-warmup", ".txt");
        try {
            head(file, warm, WARMUP_WORDS);
            Map<String, Object> warmParams = new HashMap<>(params);
            warmParams.putAll(Map.of("epochs", 1, "analogy", "none", "wordsim", "none", "simlex", "none"));
            TextCorpus warmCorpus = TextCorpus.counted("warm-up", "warm-up", new TextFileSentences(warm));
            Clock warmSink = new Clock(1, new PrintStream(java.io.OutputStream.nullOutputStream()));
            warmSink.start();
            NnlabWorkloadMain.train(family, new TrainingJob(warmParams, warmCorpus, null, threads), warmSink);
        } finally {
            Files.deleteIfExists(warm);
        }
        awaitCompilerIdle(log);

        Clock sink = new Clock(epochs, log);
        sink.start();
        TrainResult result = NnlabWorkloadMain.train(family, new TrainingJob(params, corpus, null, threads), sink);
        if (result.outcome() != TrainResult.Outcome.FINISHED) {
            throw new IllegalStateException(w.id() + ": the word2vec run ended " + result.outcome()
                    + (result.message() == null ? "" : ": " + result.message()));
        }
        double seconds = sink.trainingNanos() / 1e9;
        double throughput = inVocabulary * (double) epochs / seconds;
        RecordingSink r = sink.recorded;
        String qualityKey = w.qualityUnit().equals("analogy_acc") ? "analogy_acc" : "wordsim_spearman";
        Map<String, Object> out = NnlabWorkloadMain.result(Math.round(throughput * 10) / 10.0, "words/s", value(r, qualityKey),
                w.qualityUnit(), sink.usage);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epochs", epochs);
        extra.put("corpus", file.toString());
        extra.put("in_vocabulary_words", inVocabulary);
        extra.put("vocabulary", vocabularySize(corpus.wordCounts(), 5));
        extra.put("analogy_acc", value(r, "analogy_acc"));
        Double coverage = value(r, "analogy_questions");
        extra.put("analogy_questions", coverage == null ? null : coverage.intValue());
        extra.put("wordsim353", value(r, "wordsim_spearman"));
        extra.put("simlex999", value(r, "simlex_spearman"));
        // The rarer half of each set (by the frequency rank of the rarer word): where skip-gram and CBOW differ most.
        extra.put("analogy_rare_acc", value(r, "analogy_rare_acc"));
        extra.put("wordsim353_rare", value(r, "wordsim_rare_spearman"));
        extra.put("simlex999_rare", value(r, "simlex_rare_spearman"));
        extra.put("job_threads", threads);
        extra.put("seed", given.get("seed"));
        out.put("extra", extra);
        out.put("versions", Map.of("family", family.id() + " " + family.version(), "java", Runtime.version().toString(),
                "vector_bits", VectorBits.used()));
        return out;
    }

    /**
     * Waits (at most {@value #COMPILER_WAIT_MS} ms) until the JIT has compiled nothing for half a
     * second: on a loaded machine C2's threads lag behind the warm-up, and a timed epoch of a few
     * seconds would otherwise run partly in the interpreter (the Vector API's fallback loops).
     */
    static void awaitCompilerIdle(PrintStream log) throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long start = System.nanoTime(), last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 5 && System.nanoTime() - start < COMPILER_WAIT_MS * 1_000_000L) {
            Thread.sleep(100);
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
        log.printf(Locale.ROOT, "  nnlab: JIT idle after %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    static final long COMPILER_WAIT_MS = 15_000;

    private static Double value(RecordingSink r, String key) {
        double v = r.last(key);
        return Double.isNaN(v) ? null : v;
    }

    /**
     * The sentences of {@code file} split into words and held in memory, each distinct word one
     * String (the gensim side's token lists, but without a copy of each word per occurrence).
     */
    static SentenceSource inMemory(Path file) throws IOException {
        List<String[]> sentences = new ArrayList<>();
        Map<String, String> distinct = new HashMap<>();
        try (SentenceReader r = new TextFileSentences(file).open()) {
            for (String[] s = r.next(); s != null; s = r.next()) {
                for (int i = 0; i < s.length; i++) s[i] = distinct.computeIfAbsent(s[i], k -> k);
                sentences.add(s);
            }
        }
        return SentenceSource.of(sentences);
    }

    private static String existing(Path p) { return Files.isRegularFile(p) ? p.toString() : "none"; }

    static long inVocabulary(WordCounts c, int minCount) {
        long t = 0;
        for (int i = 0; i < c.size() && c.count(i) >= minCount; i++) t += c.count(i);
        return t;
    }

    static int vocabularySize(WordCounts c, int minCount) {
        int n = 0;
        while (n < c.size() && c.count(n) >= minCount) n++;
        return n;
    }

    /** The first lines of {@code from} holding about {@code words} words. */
    static void head(Path from, Path to, long words) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(from, StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(to, StandardCharsets.UTF_8)) {
            long n = 0;
            for (String line = in.readLine(); line != null && n < words; line = in.readLine()) {
                out.write(line);
                out.write('\n');
                n += line.isBlank() ? 0 : line.strip().split("\\s+").length;
            }
        }
    }

    /** Records everything and notes when the last epoch's {@code epoch_words_per_sec} arrives. */
    static final class Clock implements RunSink {
        final RecordingSink recorded = new RecordingSink();
        private final int epochs;
        private final PrintStream log;
        private long startNanos, endNanos = -1;
        private CpuWindow window;
        CpuWindow.Usage usage;

        Clock(int epochs, PrintStream log) {
            this.epochs = epochs;
            this.log = log;
        }

        void start() {
            window = new CpuWindow();
            startNanos = System.nanoTime();
        }

        @Override
        public void metric(String key, long step, double epoch, double value) {
            if (key.equals("epoch_words_per_sec")) {
                long now = System.nanoTime();
                if (epoch >= epochs && endNanos < 0) {
                    endNanos = now;
                    usage = window.close();
                }
                log.printf(Locale.ROOT, "  epoch %.0f/%d: %.0f words/s after %.1f s%n", epoch, epochs, value, (now - startNanos) / 1e9);
            }
            recorded.metric(key, step, epoch, value);
        }

        @Override public void layerStat(long step, String layer, String stat, double value) {}

        @Override
        public void event(long step, Severity severity, String code, String message, String hint) {
            recorded.event(step, severity, code, message, hint);
            log.println("  " + severity + " " + code + ": " + message);
        }

        long trainingNanos() {
            if (endNanos < 0) throw new IllegalStateException("the run never reported epoch_words_per_sec for epoch " + epochs);
            return endNanos - startNanos;
        }
    }
}
