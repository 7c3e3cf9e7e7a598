package dev.nnlab.store.filter;

/** A comparison; its SQL spelling is the same in SQLite and PostgreSQL. */
public enum Operator {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** {@code <>} rather than {@code !=}: the SQL standard's spelling. */
    String sql() {
        return this == NE ? "<>" : symbol;
    }

    @Override
    public String toString() {
        return symbol;
    }
}
