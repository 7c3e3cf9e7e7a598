package dev.nnlab.cli;

import dev.nnlab.runs.RunRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which parameters a run table shows: those that differ among the listed runs first (they are
 * what a sweep varies, so what a reader compares), then constant ones while there is room, the
 * usual headline hyperparameters before the rest. A run that lacks a parameter differs from one
 * that has it, so a parameter is constant only when every run has it, with one value.
 *
 * @param shown   the keys to show as columns: varying ones by key, then constant ones
 * @param varying how many of {@code shown} differ among the runs
 * @param hidden  the keys left out for room: varying ones first
 * @param hiddenVarying how many of {@code hidden} differ among the runs
 */
record KeyParams(List<String> shown, int varying, List<String> hidden, int hiddenVarying) {

    /** Constant parameters a reader looks for first, in this order; any other follows by key. */
    static final List<String> HEADLINE = List.of("optimizer", "lr", "hidden", "activation", "batchSize", "epochs");

    static KeyParams choose(List<RunRow> runs, int maxColumns) {
        Set<String> keys = new TreeSet<>();
        for (RunRow r : runs) keys.addAll(r.params().keySet());
        List<String> varying = new ArrayList<>();
        List<String> constant = new ArrayList<>();
        for (String k : keys) {
            Set<String> values = new HashSet<>();
            for (RunRow r : runs) values.add(r.params().containsKey(k) ? r.paramText(k) : null);
            (values.size() > 1 ? varying : constant).add(k);
        }
        constant.sort(Comparator.comparingInt((String k) -> HEADLINE.contains(k) ? HEADLINE.indexOf(k) : HEADLINE.size()));
        List<String> all = new ArrayList<>(varying);
        all.addAll(constant);
        int n = Math.min(all.size(), maxColumns);
        int shownVarying = Math.min(varying.size(), n);
        return new KeyParams(List.copyOf(all.subList(0, n)), shownVarying, List.copyOf(all.subList(n, all.size())),
                varying.size() - shownVarying);
    }
}
