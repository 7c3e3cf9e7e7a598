package dev.nnlab.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One recorded verdict on an experiment's lesson: did the claim hold on the runs of one batch.
 *
 * @param verdict {@code HELD}, {@code NOT_HELD} or {@code NOT_MEASURABLE}
 * @param lesson  the lesson as the batch's spec gave it (claim, source, checks)
 * @param checks  one object per check: its outcome, the reason, and the measured numbers
 * @param runIds  the runs the verdict was measured on
 */
public record LessonVerdict(long id, long experimentId, Instant created, String verdict, JsonNode lesson,
                            JsonNode checks, List<Long> runIds) {
}
