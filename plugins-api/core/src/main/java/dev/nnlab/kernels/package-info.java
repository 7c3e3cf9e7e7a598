/**
 * The numerical kernels: SGEMM ({@link dev.nnlab.kernels.Sgemm}) and element-wise operations
 * ({@link dev.nnlab.kernels.VectorOps}) in pure Java on the Vector API, each next to a plain scalar
 * reference ({@link dev.nnlab.kernels.SgemmReference}, {@link dev.nnlab.kernels.VectorOpsReference})
 * that the tests compare it against on awkward shapes.
 *
 * <p><b>Why SGEMM is built like GotoBLAS/BLIS.</b> A naive broadcast-FMA loop over C reaches about a
 * third of the core's FMA peak: it reloads B for every row and streams A and B with strides that
 * defeat the caches. Instead, blocks of {@code op(A)} and {@code op(B)} are first <em>packed</em>
 * into contiguous panels ({@code GemmPacking}); packing also absorbs the transposes, so one
 * micro-kernel serves NN, NT, TN and TT. A register-blocked <em>micro-kernel</em>
 * ({@code MicroKernel512}: a (12, 32) tile of C in 24 zmm accumulators) then does nothing but
 * broadcast, load and FMA. <em>Cache blocking</em> ({@code BlockedGemm}: KC = 1024, MC = 96,
 * NC = 512) keeps the packed blocks in L2 and, by slicing k deeply, reads and writes C (which does
 * not fit in L2) as few times as possible. Large
 * products are split by independent ranges of C over a small pool of daemon threads
 * ({@link dev.nnlab.kernels.Parallelism}); small ones stay on the caller's thread.
 *
 * <p><b>Why the species is fixed at start-up.</b> The Vector API only becomes SIMD instructions when
 * C2 sees the species as a constant, so it is chosen once ({@code VectorWidth}, logged) and held in
 * {@code static final} fields; each width has its own micro-kernel class for the same reason, which
 * also lets tests run every width in one JVM. On the AVX-512 development machine 512-bit vectors
 * beat 256-bit ones by about a third, so the widest preferred species is used; widths under 128 bits
 * fall back to the scalar references, as in Lucene's Panama vectorization provider.
 */
package dev.nnlab.kernels;
