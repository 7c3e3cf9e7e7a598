-- Experiments, runs and their hyperparameters.
-- Times are epoch milliseconds (BIGINT): portable, sortable, and what the JVM clock gives.
-- JSON documents are TEXT: both databases store them verbatim.

CREATE TABLE experiments (
    id      ${identity},
    name    TEXT   NOT NULL UNIQUE,
    created BIGINT NOT NULL,
    spec    TEXT
);

CREATE TABLE runs (
    id               ${identity},
    experiment_id    BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name             TEXT   NOT NULL,
    status           TEXT   NOT NULL CHECK (status IN
                         ('QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'DIVERGED', 'INTERRUPTED', 'STOPPED')),
    family           TEXT,
    plugin_id        TEXT,
    plugin_version   TEXT,
    nnlab_version    TEXT,
    git_commit       TEXT,
    seed             BIGINT,
    dataset          TEXT,
    dataset_checksum TEXT,
    config           TEXT,
    created          BIGINT NOT NULL,
    started          BIGINT,
    ended            BIGINT,
    error            TEXT,
    owner_host       TEXT,
    owner_pid        BIGINT,
    -- The owner's process start time tells a live owner from a new process that reuses its pid.
    owner_start      BIGINT,
    heartbeat        BIGINT
);

CREATE INDEX runs_experiment ON runs (experiment_id);
CREATE INDEX runs_status ON runs (status);

-- One row per hyperparameter. num_value is set when the value is a number, so that filters
-- compare 64 > 100 numerically and not as text.
CREATE TABLE params (
    run_id    BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key       TEXT   NOT NULL,
    value     TEXT,
    num_value DOUBLE PRECISION,
    type      TEXT   NOT NULL CHECK (type IN ('NUMBER', 'STRING', 'BOOLEAN', 'JSON')),
    PRIMARY KEY (run_id, key)
);
