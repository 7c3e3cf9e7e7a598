package dev.nnlab.live;

import java.util.List;

/** What a live view is told: a run appeared or changed status, a curve grew, or the plugins changed. */
public sealed interface LiveEvent {

    /** The SSE event name: {@code run}, {@code points} or {@code plugins}. */
    String eventName();

    /** A run appeared or changed status. */
    record RunChanged(long id, String status, String name, long experimentId) implements LiveEvent {
        @Override
        public String eventName() { return "run"; }
    }

    /** New points of one curve, by step. */
    record NewPoints(long runId, String key, List<Point> points) implements LiveEvent {
        @Override
        public String eventName() { return "points"; }
    }

    /** The loaded plugins changed (a JAR added, replaced or removed): views reload the families. */
    record PluginsChanged(int families, int failures, int pending) implements LiveEvent {
        @Override
        public String eventName() { return "plugins"; }
    }

    /** One point of a curve; {@code value} NaN for a diverged value. */
    record Point(long step, double epoch, long wallTime, double value) {}
}
