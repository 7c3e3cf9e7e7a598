-- Artifacts move out of the database: the content is a file beside the store, named by its SHA-256
-- (equal content is kept once, however many runs hold it), and the row keeps what lists need.
-- V4's table kept the content in a BLOB; no release ever wrote to it (the plugin API's artifact
-- call was a no-op until this version), so it is replaced rather than copied.

DROP TABLE artifacts;

CREATE TABLE artifacts (
    run_id     BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    media_type TEXT   NOT NULL,
    sha256     TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    created    BIGINT NOT NULL,
    PRIMARY KEY (run_id, name)
);

-- Deleting a run asks, for each of its files, whether any other row still names it.
CREATE INDEX artifacts_sha256 ON artifacts (sha256);
