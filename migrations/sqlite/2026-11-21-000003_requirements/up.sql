-- What readers mark in the advisor: requirements, each weighing some scored dimensions and
-- optionally, when marked "must", excluding technologies below a score on one dimension.

CREATE TABLE requirements (
    id                      INTEGER PRIMARY KEY,
    slug                    TEXT NOT NULL UNIQUE,
    name                    TEXT NOT NULL,
    explanation             TEXT NOT NULL,
    constraint_dimension_id INTEGER REFERENCES dimensions (id) ON DELETE RESTRICT,
    constraint_min          INTEGER CHECK (constraint_min BETWEEN 1 AND 5),
    position                INTEGER NOT NULL,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    CHECK ((constraint_dimension_id IS NULL) = (constraint_min IS NULL))
);
CREATE INDEX requirements_by_position ON requirements (position, id);
CREATE INDEX requirements_by_constraint ON requirements (constraint_dimension_id);

CREATE TABLE requirement_weights (
    requirement_id INTEGER NOT NULL REFERENCES requirements (id) ON DELETE CASCADE,
    dimension_id   INTEGER NOT NULL REFERENCES dimensions (id) ON DELETE RESTRICT,
    weight         INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 5),
    PRIMARY KEY (requirement_id, dimension_id)
);
CREATE INDEX requirement_weights_by_dimension ON requirement_weights (dimension_id, requirement_id);
