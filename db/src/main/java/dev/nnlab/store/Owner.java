package dev.nnlab.store;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process that owns a run: crash recovery asks whether it is still alive.
 *
 * @param host       the machine's host name
 * @param pid        the operating-system process id
 * @param startMillis when that process started (epoch ms), 0 if unknown; tells the owner apart
 *                   from a later process that got the same pid (a restarted container is pid 1
 *                   again)
 */
public record Owner(String host, long pid, long startMillis) {

    /** This JVM. */
    public static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(localHostName(), self.pid(), startMillisOf(self));
    }

    /** What this host's process table says about an owner. */
    enum Liveness {
        /** The process runs, and its start time matches the recorded one. */
        ALIVE,
        /** No such process, or the pid now belongs to a process that started at another time. */
        GONE,
        /** The pid runs but a start time is unknown: it may be the owner or a later process with its pid. */
        UNKNOWN
    }

    /** Whether this owner, assumed to be on this host, is still running. */
    Liveness liveness() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) return Liveness.GONE;
        long actual = startMillisOf(handle.get());
        if (startMillis == 0 || actual == 0) return Liveness.UNKNOWN;
        return sameProcess(startMillis, actual) ? Liveness.ALIVE : Liveness.GONE;
    }

    /**
     * Whether two start times are one process's. An unknown time (0) proves nothing, so it is never
     * the same process. A second of slack absorbs rounding of the start time between JVMs; a pid is
     * not reused within a second of its first owner's start.
     */
    static boolean sameProcess(long startA, long startB) {
        return startA != 0 && startB != 0 && Math.abs(startA - startB) <= 1000;
    }

    static long startMillisOf(ProcessHandle process) {
        return process.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }

    /**
     * The host name without a DNS round trip when possible: {@code HOSTNAME} (set by shells and
     * containers), then {@code /etc/hostname}, then the resolver.
     */
    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc).strip();
                if (!name.isEmpty()) return name;
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
