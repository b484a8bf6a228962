-- How many technologies there are of each kind and language, kept by triggers in the
-- transaction of every write to technologies, so that a list's total is one row read, never
-- a count. `kind` '' is every kind; `language_id` 0 is none, -1 every language.
CREATE TABLE technology_counts (
    kind        TEXT NOT NULL,
    language_id INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (kind, language_id)
);

INSERT INTO technology_counts (kind, language_id, count)
SELECT kind, coalesce(language_id, 0), count(*) FROM technologies GROUP BY 1, 2
UNION ALL SELECT kind, -1, count(*) FROM technologies GROUP BY 1
UNION ALL SELECT '', coalesce(language_id, 0), count(*) FROM technologies GROUP BY 2
UNION ALL SELECT '', -1, count(*) FROM technologies;

CREATE TRIGGER technology_counts_insert AFTER INSERT ON technologies
BEGIN
    INSERT INTO technology_counts (kind, language_id, count)
    VALUES (NEW.kind, coalesce(NEW.language_id, 0), 1), (NEW.kind, -1, 1),
           ('', coalesce(NEW.language_id, 0), 1), ('', -1, 1)
    ON CONFLICT (kind, language_id) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER technology_counts_delete AFTER DELETE ON technologies
BEGIN
    UPDATE technology_counts SET count = count - 1
    WHERE kind IN (OLD.kind, '') AND language_id IN (coalesce(OLD.language_id, 0), -1);
END;

CREATE TRIGGER technology_counts_update AFTER UPDATE OF kind, language_id ON technologies
BEGIN
    UPDATE technology_counts SET count = count - 1
    WHERE kind IN (OLD.kind, '') AND language_id IN (coalesce(OLD.language_id, 0), -1);
    INSERT INTO technology_counts (kind, language_id, count)
    VALUES (NEW.kind, coalesce(NEW.language_id, 0), 1), (NEW.kind, -1, 1),
           ('', coalesce(NEW.language_id, 0), 1), ('', -1, 1)
    ON CONFLICT (kind, language_id) DO UPDATE SET count = count + 1;
END;
