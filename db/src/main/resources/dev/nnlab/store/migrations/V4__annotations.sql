-- What people and tools attach to a run: tags, notes and files.

CREATE TABLE tags (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT   NOT NULL,
    value  TEXT   NOT NULL,
    PRIMARY KEY (run_id, key)
);

CREATE TABLE notes (
    id      ${identity},
    run_id  BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    body    TEXT   NOT NULL,
    created BIGINT NOT NULL
);

CREATE INDEX notes_run ON notes (run_id, id);

CREATE TABLE artifacts (
    run_id     BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    media_type TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    bytes      ${bytes} NOT NULL,
    created    BIGINT NOT NULL,
    PRIMARY KEY (run_id, name)
);
