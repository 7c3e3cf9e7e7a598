package dev.nnlab.store.filter;

import java.util.List;

/**
 * A piece of SQL with {@code ?} parameters and their values, in order. User text only ever
 * travels in {@code args}, never in {@code sql}.
 */
public record SqlFragment(String sql, List<Object> args) {

    public SqlFragment {
        args = List.copyOf(args);
    }
}
