package dev.nnlab.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The commit of an nnlab checkout, for provenance, read from {@code .git} directly (no git binary
 * needed): HEAD, a loose ref, or packed-refs. Null outside a checkout.
 */
public final class GitCommit {
    private GitCommit() {}

    public static String of(Path home) {
        if (home == null) return null;
        Path git = home.resolve(".git");
        try {
            if (Files.isRegularFile(git)) {
                // A worktree: ".git" holds "gitdir: <path>".
                String line = Files.readString(git).strip();
                if (!line.startsWith("gitdir:")) return null;
                git = home.resolve(line.substring(7).strip());
            }
            if (!Files.isDirectory(git)) return null;
            String head = Files.readString(git.resolve("HEAD")).strip();
            if (!head.startsWith("ref:")) return head.matches("[0-9a-f]{40}") ? head : null;
            String ref = head.substring(4).strip();
            Path common = Files.isRegularFile(git.resolve("commondir"))
                    ? git.resolve(Files.readString(git.resolve("commondir")).strip()).normalize() : git;
            for (Path dir : new Path[] {git, common}) {
                Path loose = dir.resolve(ref);
                if (Files.isRegularFile(loose)) return Files.readString(loose).strip();
            }
            Path packed = common.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String l : Files.readAllLines(packed)) {
                    if (l.endsWith(" " + ref)) return l.substring(0, l.indexOf(' '));
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
