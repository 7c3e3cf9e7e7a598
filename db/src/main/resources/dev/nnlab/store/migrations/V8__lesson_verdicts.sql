-- The verdicts of an experiment's lesson, one row per evaluated batch: whether the claim held on
-- the batch's runs. lesson is the lesson as the batch's spec gave it (the experiment's stored spec is
-- its first batch's); checks holds each check's outcome with the measured numbers (JSON, TEXT).

CREATE TABLE lesson_verdicts (
    id            ${identity},
    experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    created       BIGINT NOT NULL,
    verdict       TEXT   NOT NULL CHECK (verdict IN ('HELD', 'NOT_HELD', 'NOT_MEASURABLE')),
    lesson        TEXT   NOT NULL,
    checks        TEXT   NOT NULL,
    run_ids       TEXT   NOT NULL
);

CREATE INDEX lesson_verdicts_experiment ON lesson_verdicts (experiment_id, id);
