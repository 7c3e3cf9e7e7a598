package dev.nnlab.live;

import java.util.List;

/** What a live view is told: a run appeared or changed status, or a curve grew. */
public sealed interface LiveEvent {

    /** The SSE event name: {@code run} or {@code points}. */
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

    /** One point of a curve; {@code value} NaN for a diverged value. */
    record Point(long step, double epoch, long wallTime, double value) {}
}
