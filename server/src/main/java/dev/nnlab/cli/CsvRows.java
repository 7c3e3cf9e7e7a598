package dev.nnlab.cli;

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
 * CSV out: a header line, then one line per row, quoted as RFC 4180 says (a field holding a comma,
 * a quote or a line break is quoted, and its quotes doubled) by Jackson's CSV module. A null cell
 * is written empty. Closing flushes but leaves {@code out} open (it may be stdout).
 */
final class CsvRows implements AutoCloseable {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            // Quote only what RFC 4180 requires, so a plain name stays plain.
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();

    private final int columns;
    private final SequenceWriter rows;

    CsvRows(Writer out, List<String> header) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String h : header) schema.addColumn(h, CsvSchema.ColumnType.STRING);
        this.columns = header.size();
        try {
            this.rows = MAPPER.writer(schema.build()).writeValues(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CsvRows add(List<String> row) {
        if (row.size() != columns) throw new IllegalArgumentException("a row of " + row.size() + " cells under " + columns + " columns");
        try {
            rows.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
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
