-- The catalog: technologies, comparison dimensions, sources, and the assessments
-- (technology x dimension) that cite them. Times are naive UTC, set by the application.

CREATE TABLE technologies (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('language', 'framework', 'library', 'database', 'runtime', 'tool')),
    language_id INTEGER REFERENCES technologies (id) ON DELETE RESTRICT,
    summary     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
-- Lists are ordered by name, ignoring case.
CREATE INDEX technologies_by_name ON technologies (lower(name), id);
CREATE INDEX technologies_by_kind ON technologies (kind, lower(name), id);
CREATE INDEX technologies_by_language ON technologies (language_id, lower(name), id);

CREATE TABLE dimensions (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    scale       TEXT,
    position    INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX dimensions_by_position ON dimensions (position, id);

CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    publisher    TEXT NOT NULL,
    published_on DATE,
    url          TEXT,
    notes        TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (title, publisher)
);
CREATE INDEX sources_by_title ON sources (lower(title), id);

CREATE TABLE assessments (
    id            INTEGER PRIMARY KEY,
    technology_id INTEGER NOT NULL REFERENCES technologies (id) ON DELETE RESTRICT,
    dimension_id  INTEGER NOT NULL REFERENCES dimensions (id) ON DELETE RESTRICT,
    score         INTEGER CHECK (score BETWEEN 1 AND 5),
    body          TEXT NOT NULL,
    as_of         DATE NOT NULL,
    confidence    TEXT NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (technology_id, dimension_id)
);
CREATE INDEX assessments_by_dimension ON assessments (dimension_id, technology_id);

CREATE TABLE assessment_sources (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE RESTRICT,
    PRIMARY KEY (assessment_id, source_id)
);
CREATE INDEX assessment_sources_by_source ON assessment_sources (source_id, assessment_id);

-- One row: bumped by every write to content that pages show, in the write's transaction.
-- Cached pages are served only while the revision they were made at is still current.
CREATE TABLE content_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO content_revision (id, revision) VALUES (1, 0);
