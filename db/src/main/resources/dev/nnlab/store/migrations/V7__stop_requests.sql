-- A stop asked for by another process (the server's UI stopping a CLI batch's run): the time it was
-- asked, NULL if never. The process that trains the run polls it and stops after its current step.

ALTER TABLE runs ADD COLUMN stop_requested BIGINT;
