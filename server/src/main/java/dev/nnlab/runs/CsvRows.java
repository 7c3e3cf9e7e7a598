package dev.nnlab.runs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * The one CSV writer of nnlab (the HTTP download and every CSV of the command line): a header line,
 * then one line per row, quoted as RFC 4180 says (a field holding a comma, a quote or a line break
 * is quoted, and its quotes doubled) by Jackson's CSV module. A null cell is written empty; numbers
 * go through {@link #number} so that a value reads the same wherever it was exported. Closing
 * flushes but leaves {@code out} open (it may be stdout or an HTTP response).
 */
public final class CsvRows implements AutoCloseable {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            // Quote only what RFC 4180 requires, so a plain name stays plain.
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();

    private final int columns;
    private final SequenceWriter rows;

    public CsvRows(Writer out, List<String> header) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String h : header) schema.addColumn(h, CsvSchema.ColumnType.STRING);
        this.columns = header.size();
        try {
            this.rows = MAPPER.writer(schema.build()).writeValues(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CsvRows add(List<String> row) {
        if (row.size() != columns) throw new IllegalArgumentException("a row of " + row.size() + " cells under " + columns + " columns");
        try {
            rows.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Full precision ({@link Double#toString}); NaN as {@code NaN}, which pandas and R read back as a missing value. */
    public static String number(double v) {
        return Double.toString(v);
    }

    @Override
    public void close() {
        try {
            rows.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
