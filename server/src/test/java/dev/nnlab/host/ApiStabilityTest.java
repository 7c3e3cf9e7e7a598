package dev.nnlab.host;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public type a plugin author can compile against (the core and the SPI artifact) says in its
 * Javadoc whether it is stable or evolving, so an author knows what a new nnlab may change.
 */
class ApiStabilityTest {
    private static final Pattern TYPE = Pattern.compile("(?m)^public (?:final |abstract |sealed |non-sealed )*(?:class|interface|record|enum) ");
    private static final Pattern STABILITY = Pattern.compile("Stability: (stable|evolving)");

    static List<String> unmarked(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).toList()) {
                String src = Files.readString(f);
                Matcher m = TYPE.matcher(src);
                if (!m.find()) continue;
                int docEnd = src.lastIndexOf("*/", m.start());
                int docStart = src.lastIndexOf("/**", m.start());
                String doc = docStart >= 0 && docEnd > docStart ? src.substring(docStart, docEnd) : "";
                if (!STABILITY.matcher(doc).find()) out.add(root.relativize(f).toString());
            }
        }
        return out;
    }

    @Test
    void every_public_type_of_the_core_and_the_spi_is_marked_stable_or_evolving() throws IOException {
        Path api = PluginJars.checkoutRoot().resolve("plugins-api");
        List<String> missing = new ArrayList<>(unmarked(api.resolve("core/src/main/java")));
        missing.addAll(unmarked(api.resolve("spi/src/main/java")));
        assertThat(missing).as("public types without 'Stability: stable' or 'Stability: evolving' in their Javadoc").isEmpty();
    }

    @Test
    void an_unmarked_type_is_found(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Marked.java"), "package x;\n/** A thing.\n * <p>Stability: evolving.\n */\npublic final class Marked {}\n");
        Files.writeString(dir.resolve("Bare.java"), "package x;\n/** A thing with no word on stability. */\npublic record Bare() {}\n");
        assertThat(unmarked(dir)).containsExactly("Bare.java");
    }
}
