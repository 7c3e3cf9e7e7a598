package dev.nnlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus far larger than the heap trains in bounded memory: a JVM limited to 24 MB of heap counts
 * a 64 MB file and streams it twice. Loading the text whole (as a String it would take 128 MB) fails
 * with OutOfMemoryError there.
 */
class LargeCorpusTest {

    /** Run in the small JVM: counts, then reads every sentence twice, in two shares; prints "words sentences". */
    public static void main(String[] args) throws IOException {
        TextCorpus corpus = TextCorpus.counted("big", "sha256:-", new TextFileSentences(Path.of(args[0])));
        long sentences = 0, words = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int part = 0; part < 2; part++) {
                try (SentenceReader r = corpus.sentences(part, 2)) {
                    for (String[] s = r.next(); s != null; s = r.next()) {
                        sentences++;
                        words += s.length;
                    }
                }
            }
        }
        System.out.println(corpus.totalWords() + " " + words + " " + sentences);
    }

    @Test
    void a_corpus_larger_than_the_heap_is_counted_and_streamed_in_bounded_memory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.txt");
        long lines = 0, words = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder();
            while (lines < 400_000) {
                line.setLength(0);
                for (int i = 0; i < 20; i++) line.append("word").append((lines * 31 + i * 7) % 2000).append(' ');
                w.write(line.toString());
                w.write('\n');
                lines++;
                words += 20;
            }
        }
        assertThat(Files.size(file)).isGreaterThan(60L << 20);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx24m", "-cp", System.getProperty("java.class.path"),
                LargeCorpusTest.class.getName(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> last = List.of(out.lines().reduce((a, b) -> b).orElse("").split(" "));
        assertThat(last).containsExactly(String.valueOf(words), String.valueOf(2 * words), String.valueOf(2 * lines));
    }
}
