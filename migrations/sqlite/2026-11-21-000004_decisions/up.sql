-- Decision records: what was decided among which options, why, and the catalog's facts
-- and scores as they stood when it was recorded (the snapshot, JSON text, never changed
-- by an edit). Times are naive UTC, set by the application.

CREATE TABLE decisions (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL,
    context          TEXT NOT NULL,
    -- One driver per line.
    drivers          TEXT NOT NULL,
    -- The options considered, as recorded: a JSON array of {"slug", "name"}. Like the
    -- snapshot, it keeps their names when a technology is later renamed or deleted.
    options          TEXT NOT NULL,
    -- The chosen option's slug, one of `options`; empty while the decision is proposed.
    chosen           TEXT NOT NULL,
    rationale        TEXT NOT NULL,
    consequences     TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'deprecated', 'superseded')),
    superseded_by_id INTEGER REFERENCES decisions (id) ON DELETE SET NULL CHECK (superseded_by_id <> id),
    revisit_by       DATE,
    -- One URL, or a label and a URL, per line.
    links            TEXT NOT NULL,
    decided_on       DATE NOT NULL,
    -- The advisor's query string the decision came from; empty if none.
    advisor_query    TEXT NOT NULL,
    snapshot         TEXT NOT NULL,
    created_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX decisions_by_date ON decisions (decided_on, id);
CREATE INDEX decisions_by_status ON decisions (status, decided_on, id);
CREATE INDEX decisions_by_revisit ON decisions (revisit_by);
CREATE INDEX decisions_by_superseded_by ON decisions (superseded_by_id);
