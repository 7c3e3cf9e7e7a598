package dev.nnlab.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which BLAS a peer process actually loaded, read from its {@code /proc/self/maps} after one matrix
 * product. Debian's numpy and torch link {@code libblas.so.3}, which the alternatives system points
 * at the reference BLAS unless an optimised one is installed; with the reference BLAS, PyTorch runs
 * dense layers about ten times slower, and a ratio against it would flatter nnlab. So the harness
 * names the library and its version in every peer line and refuses the reference one.
 *
 * @param kind    what the library is
 * @param path    the mapped file, null when none was found (a BLAS linked statically, as pip's torch links MKL)
 * @param version from the library's own configuration string, else its file name; "unknown" when neither says
 * @param core    the kernel set a DYNAMIC_ARCH OpenBLAS chose for this CPU, from its configuration string
 *                ("Haswell", "SkylakeX", "Cooperlake"...); null when it does not say. An OpenBLAS running its
 *                AVX2 kernels on an AVX-512 machine (as {@code OPENBLAS_CORETYPE=Haswell} forces) is a slower peer
 */
record LoadedBlas(Kind kind, String path, String version, String core) {

    LoadedBlas(Kind kind, String path, String version) {
        this(kind, path, version, null);
    }

    enum Kind { OPENBLAS, MKL, BLIS, ATLAS, REFERENCE, NONE_FOUND }

    static final String INSTALL_OPENBLAS = "apt-get install libopenblas0";

    private static final Pattern OPENBLAS_VERSION = Pattern.compile("OpenBLAS\\s+(\\d+(?:\\.\\d+)+)");
    private static final Pattern FILE_VERSION = Pattern.compile("-r(\\d+(?:\\.\\d+)+)\\.so|\\.so\\.(\\d+(?:\\.\\d+)+)$");

    /**
     * Reads the maps text (full lines of {@code /proc/PID/maps} or bare paths, one per line) and the
     * configuration strings the libraries reported ({@code openblas_get_config}), keyed by path.
     */
    static LoadedBlas detect(String maps, Map<String, String> configs) {
        List<String> paths = maps.lines().map(LoadedBlas::pathOf).filter(p -> p != null).distinct().toList();
        for (Kind kind : List.of(Kind.OPENBLAS, Kind.MKL, Kind.BLIS, Kind.ATLAS)) {
            String best = null;
            for (String p : paths) {
                if (kindOf(p) != kind) continue;
                // Prefer the library that names itself (libopenblasp-r0.3.21.so) over the libblas.so.3 shim next to it.
                String name = kind.name().toLowerCase(Locale.ROOT);
                if (best == null || (!fileName(best).contains(name) && fileName(p).contains(name))) best = p;
            }
            if (best != null) return new LoadedBlas(kind, best, version(best, configs), core(best, configs));
        }
        for (String p : paths) {
            if (kindOf(p) == Kind.REFERENCE) return new LoadedBlas(Kind.REFERENCE, p, version(p, configs));
        }
        return new LoadedBlas(Kind.NONE_FOUND, null, "unknown");
    }

    /** Null when the peer's figure can be trusted; else why not and what to install. */
    String refusal() {
        if (kind != Kind.REFERENCE) return null;
        return "it loaded the reference BLAS (" + path + "), about 10x slower than an optimised one for dense layers; "
                + "a ratio against it would mean nothing. Install OpenBLAS (" + INSTALL_OPENBLAS
                + "; Debian's alternatives then point libblas.so.3 at it) and run again";
    }

    /** A short name for tables: "OpenBLAS 0.3.21". */
    String label() {
        return switch (kind) {
            case OPENBLAS -> "OpenBLAS " + version + (core == null ? "" : " (" + core + " kernels)");
            case MKL -> "MKL " + version;
            case BLIS -> "BLIS " + version;
            case ATLAS -> "ATLAS " + version;
            case REFERENCE -> "reference BLAS " + version;
            case NONE_FOUND -> "no BLAS library mapped";
        };
    }

    static Kind kindOf(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        String file = fileName(p);
        if (p.contains("openblas")) return Kind.OPENBLAS;
        if (file.contains("mkl")) return Kind.MKL;
        if (p.contains("blis")) return Kind.BLIS;
        if (p.contains("atlas")) return Kind.ATLAS;
        if (file.startsWith("libblas.so") || file.startsWith("libcblas.so")) return Kind.REFERENCE;
        return null;
    }

    /**
     * The core name in an OpenBLAS configuration string ("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake
     * MAX_THREADS=64"): the first word after the version in mixed case; the build flags are upper case.
     */
    static String core(String path, Map<String, String> configs) {
        String config = configs.get(path);
        if (config == null) config = configs.values().stream().filter(c -> OPENBLAS_VERSION.matcher(c).find()).findFirst().orElse(null);
        if (config == null) return null;
        Matcher m = OPENBLAS_VERSION.matcher(config);
        if (!m.find()) return null;
        for (String word : config.substring(m.end()).trim().split("\\s+")) {
            if (!word.isEmpty() && !word.contains("=") && !word.equals(word.toUpperCase(Locale.ROOT))) return word;
        }
        return null;
    }

    private static String version(String path, Map<String, String> configs) {
        String config = configs.get(path);
        if (config == null) {
            // A shim (libblas.so.3) and the library it wraps report the same configuration.
            config = configs.values().stream().filter(c -> OPENBLAS_VERSION.matcher(c).find()).findFirst().orElse(null);
        }
        if (config != null) {
            Matcher m = OPENBLAS_VERSION.matcher(config);
            if (m.find()) return m.group(1);
        }
        Matcher m = FILE_VERSION.matcher(fileName(path));
        if (m.find()) return m.group(1) != null ? m.group(1) : m.group(2);
        return "unknown";
    }

    /** The pathname column of a maps line, or the line itself when it is a bare path; null for anonymous maps. */
    private static String pathOf(String line) {
        String s = line.strip();
        int slash = s.indexOf('/');
        if (slash < 0) return null;
        String p = s.substring(slash);
        return p.endsWith(" (deleted)") ? p.substring(0, p.length() - 10) : p;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
