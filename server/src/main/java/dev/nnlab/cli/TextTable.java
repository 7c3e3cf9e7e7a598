package dev.nnlab.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain fixed-width text table for terminal output: left-aligned text, right-aligned numbers. */
final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    TextTable add(List<String> row) {
        rows.add(List.copyOf(row));
        return this;
    }

    String render() {
        int[] w = new int[headers.size()];
        for (int c = 0; c < w.length; c++) w[c] = headers.get(c).length();
        for (List<String> r : rows) for (int c = 0; c < w.length; c++) w[c] = Math.max(w[c], r.get(c).length());
        StringBuilder sb = new StringBuilder();
        line(sb, headers, w);
        for (int c = 0; c < w.length; c++) sb.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        sb.append('\n');
        for (List<String> r : rows) line(sb, r, w);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int c = 0; c < w.length; c++) {
            String v = cells.get(c);
            boolean numeric = v.matches("-?[0-9.]+(e-?[0-9]+)?%?");
            String pad = " ".repeat(w[c] - v.length());
            sb.append(c == 0 ? "" : "  ").append(numeric ? pad + v : (c == w.length - 1 ? v : v + pad));
        }
        sb.append('\n');
    }
}
