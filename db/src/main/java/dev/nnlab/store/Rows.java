package dev.nnlab.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** Small conversions between JDBC and the store's records. */
final class Rows {

    private Rows() {
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** A nullable double column; NULL stands for NaN, which SQLite cannot store. */
    static double number(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    static void setNumber(PreparedStatement ps, int index, double v) throws SQLException {
        if (Double.isNaN(v)) ps.setNull(index, Types.DOUBLE);
        else ps.setDouble(index, v);
    }

    static void setLong(PreparedStatement ps, int index, Long v) throws SQLException {
        if (v == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, v);
    }

    static void setArgs(PreparedStatement ps, int first, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object v = args.get(i);
            // A typed NULL: PostgreSQL's driver cannot infer the type of a bare null.
            if (v == null) ps.setNull(first + i, Types.VARCHAR);
            else ps.setObject(first + i, v);
        }
    }

    /** {@code ?, ?, ?} for an {@code IN} list; the values are bound, never written into the SQL. */
    static String parameterMarks(int n) {
        return n == 0 ? "NULL" : "?" + ", ?".repeat(n - 1);
    }
}
