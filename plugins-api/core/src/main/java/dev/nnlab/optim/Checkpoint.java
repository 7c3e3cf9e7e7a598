package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Saves and restores a training state in one file: every parameter value (non-trainable buffers
 * included), the optimizer's state arrays and step count, and a small metadata map
 * ({@link #EPOCH}, {@link #STEP}, {@link #SEED}, ...). Resuming from it continues bit for bit.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): magic {@code "NNLABCKP"}, int version; the
 * parameter table (count, then name, trainable flag, rank, dims per entry) and the flat values;
 * a flag, then the optimizer's steps and named arrays; the metadata (count, then key and long);
 * finally a CRC-32 of everything before it, so a truncated or damaged file is refused instead of
 * silently loading garbage. Saving writes a sibling temporary file and renames it over the target,
 * so a crash mid-save leaves the previous checkpoint intact.
 *
 * <p>Loading verifies that the file's parameter table matches the model's (names, shapes and
 * order) and reads the whole file before touching the model, so a refused file changes nothing.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Checkpoint {
    public static final String EPOCH = "epoch";
    public static final String STEP = "step";
    public static final String SEED = "seed";
    public static final int VERSION = 1;

    private static final byte[] MAGIC = "NNLABCKP".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK_FLOATS = 16384;

    private Checkpoint() {}

    /**
     * Writes {@code params}, the state of {@code optimizer} (skipped when null) and {@code metadata} to {@code file}.
     */
    public static void save(Path file, Parameters params, Optimizer optimizer, Map<String, Long> metadata) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try (DataOutputStream out = new DataOutputStream(
                new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)), crc))) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(params.entries().size());
            for (Parameters.Entry e : params.entries()) {
                out.writeUTF(e.name());
                out.writeBoolean(e.trainable());
                out.writeInt(e.shape().length);
                for (int d : e.shape()) out.writeInt(d);
            }
            writeFloats(out, params.values);
            out.writeBoolean(optimizer != null);
            if (optimizer != null) {
                out.writeLong(optimizer.steps());
                Map<String, float[]> state = optimizer.state();
                out.writeInt(state.size());
                for (Map.Entry<String, float[]> s : state.entrySet()) {
                    out.writeUTF(s.getKey());
                    writeFloats(out, s.getValue());
                }
            }
            out.writeInt(metadata.size());
            for (Map.Entry<String, Long> m : metadata.entrySet()) {
                out.writeUTF(m.getKey());
                out.writeLong(m.getValue());
            }
            out.flush();
            out.writeLong(crc.getValue());
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Restores {@code params.values} and, when {@code optimizer} is not null, its steps and state from
     * {@code file}; returns the metadata. Pass a null optimizer to load the weights only (evaluation).
     *
     * @throws IOException for an unreadable, truncated or corrupt file, or one whose parameter table
     *                     differs from the model's (the message names the first difference)
     */
    public static Map<String, Long> load(Path file, Parameters params, Optimizer optimizer) throws IOException {
        Contents c = read(file);
        verifyTable(file, c.entries, params);
        if (c.values.length != params.values.length) {
            throw new IOException(file + " holds " + c.values.length + " parameter values, the model has " + params.values.length);
        }
        if (optimizer != null && c.optimizerState == null) {
            throw new IOException(file + " holds no optimizer state; load with optimizer = null to restore the parameters only");
        }
        System.arraycopy(c.values, 0, params.values, 0, c.values.length);
        if (optimizer != null) optimizer.restore(c.optimizerSteps, c.optimizerState);
        return c.metadata;
    }

    /** The metadata of {@code file} alone, e.g. to list checkpoints by epoch. */
    public static Map<String, Long> readMetadata(Path file) throws IOException {
        return read(file).metadata;
    }

    /** One parameter entry of a checkpoint file, with its values (a copy). */
    public record Entry(String name, int[] shape, boolean trainable, float[] values) {}

    /**
     * Every parameter entry of {@code file}, in order, read without a model: for loading part of
     * one (transfer learning keeps a trunk and replaces the head). The file is verified as by {@link #load}.
     */
    public static List<Entry> readEntries(Path file) throws IOException {
        Contents c = read(file);
        List<Entry> out = new ArrayList<>(c.shapes.size());
        int at = 0;
        for (int i = 0; i < c.shapes.size(); i++) {
            int[] shape = c.shapes.get(i);
            int size = 1;
            for (int d : shape) size = Math.multiplyExact(size, d);
            if (at + size > c.values.length) throw new IOException(file + " is corrupt (its table needs more values than it holds)");
            out.add(new Entry(c.names.get(i), shape, c.trainable.get(i), Arrays.copyOfRange(c.values, at, at + size)));
            at += size;
        }
        return out;
    }

    private record Contents(List<String> entries, List<String> names, List<int[]> shapes, List<Boolean> trainable,
                            float[] values, long optimizerSteps, Map<String, float[]> optimizerState, Map<String, Long> metadata) {}

    private static Contents read(Path file) throws IOException {
        long fileSize = Files.size(file);
        CRC32 crc = new CRC32();
        try (DataInputStream in = new DataInputStream(
                new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file)), crc))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new IOException(file + " is not an nnlab checkpoint (no NNLABCKP header)");
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " is checkpoint format version " + version + "; this nnlab reads version " + VERSION);
            }
            int count = in.readInt();
            List<String> entries = new ArrayList<>(), names = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            List<Boolean> flags = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                boolean trainable = in.readBoolean();
                int[] shape = new int[in.readInt()];
                for (int d = 0; d < shape.length; d++) shape[d] = in.readInt();
                entries.add(describe(name, shape, trainable));
                names.add(name);
                shapes.add(shape);
                flags.add(trainable);
            }
            float[] values = readFloats(in, fileSize, file);
            long steps = 0;
            Map<String, float[]> state = null;
            if (in.readBoolean()) {
                steps = in.readLong();
                int n = in.readInt();
                state = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) state.put(in.readUTF(), readFloats(in, fileSize, file));
            }
            int n = in.readInt();
            Map<String, Long> metadata = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) metadata.put(in.readUTF(), in.readLong());
            long expected = crc.getValue();
            if (in.readLong() != expected) throw new IOException(file + " is corrupt (checksum mismatch)");
            return new Contents(entries, names, shapes, flags, values, steps, state, Collections.unmodifiableMap(metadata));
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static void verifyTable(Path file, List<String> stored, Parameters params) throws IOException {
        List<Parameters.Entry> model = params.entries();
        for (int i = 0; i < Math.max(stored.size(), model.size()); i++) {
            String s = i < stored.size() ? stored.get(i) : "nothing";
            String m = i < model.size() ? describe(model.get(i).name(), model.get(i).shape(), model.get(i).trainable()) : "nothing";
            if (!s.equals(m)) {
                throw new IOException("checkpoint " + file + " does not fit the model: parameter " + i + " is " + s
                        + " in the file but " + m + " in the model (file has " + stored.size()
                        + " parameters, model " + model.size() + ")");
            }
        }
    }

    private static String describe(String name, int[] shape, boolean trainable) {
        return name + Arrays.toString(shape) + (trainable ? "" : " (buffer)");
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(a.length, CHUNK_FLOATS) * Float.BYTES);
        for (int i = 0; i < a.length; i += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, a.length - i);
            buf.clear();
            buf.asFloatBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * Float.BYTES);
        }
    }

    private static float[] readFloats(DataInputStream in, long fileSize, Path file) throws IOException {
        int length = in.readInt();
        if (length < 0 || (long) length * Float.BYTES > fileSize) {
            throw new IOException(file + " is corrupt (an array of " + length + " floats in a file of " + fileSize + " bytes)");
        }
        float[] a = new float[length];
        byte[] bytes = new byte[Math.min(length, CHUNK_FLOATS) * Float.BYTES];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        for (int i = 0; i < length; i += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, length - i);
            in.readFully(bytes, 0, n * Float.BYTES);
            buf.clear();
            buf.asFloatBuffer().get(a, i, n);
        }
        return a;
    }
}
