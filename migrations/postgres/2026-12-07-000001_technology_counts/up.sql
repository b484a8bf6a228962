-- How many technologies there are of each kind and language, kept by a trigger in the
-- transaction of every write to technologies, so that a list's total is one row read, never
-- a count. `kind` '' is every kind; `language_id` 0 is none, -1 every language.
CREATE TABLE technology_counts (
    kind        TEXT NOT NULL,
    language_id INTEGER NOT NULL,
    count       BIGINT NOT NULL,
    PRIMARY KEY (kind, language_id)
);

INSERT INTO technology_counts (kind, language_id, count)
SELECT kind, coalesce(language_id, 0), count(*) FROM technologies GROUP BY 1, 2
UNION ALL SELECT kind, -1, count(*) FROM technologies GROUP BY 1
UNION ALL SELECT '', coalesce(language_id, 0), count(*) FROM technologies GROUP BY 2
UNION ALL SELECT '', -1, count(*) FROM technologies;

CREATE FUNCTION technology_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE technology_counts SET count = count - 1
        WHERE kind IN (OLD.kind, '') AND language_id IN (coalesce(OLD.language_id, 0), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO technology_counts (kind, language_id, count)
        VALUES (NEW.kind, coalesce(NEW.language_id, 0), 1), (NEW.kind, -1, 1),
               ('', coalesce(NEW.language_id, 0), 1), ('', -1, 1)
        ON CONFLICT (kind, language_id) DO UPDATE SET count = technology_counts.count + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER technology_counts_insert_delete AFTER INSERT OR DELETE ON technologies
FOR EACH ROW EXECUTE FUNCTION technology_counts_keep();
CREATE TRIGGER technology_counts_update AFTER UPDATE OF kind, language_id ON technologies
FOR EACH ROW EXECUTE FUNCTION technology_counts_keep();
