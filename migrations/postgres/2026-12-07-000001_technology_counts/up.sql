-- How many technologies there are of each kind and language, kept by triggers in the
-- transaction of every write to technologies, so that a list's total is one row read, never
-- a count. `kind` '' is every kind; `language_id` 0 is none, -1 every language.
CREATE TABLE technology_counts (
    kind        TEXT NOT NULL,
    language_id INTEGER NOT NULL,
    count       BIGINT NOT NULL,
    PRIMARY KEY (kind, language_id)
);

-- The rows a set of technologies counts in: each under its kind and language, and the totals.
CREATE FUNCTION technology_count_keys(kind TEXT, language_id INTEGER)
RETURNS TABLE (kind TEXT, language_id INTEGER) LANGUAGE sql IMMUTABLE AS $$
    VALUES ($1, coalesce($2, 0)), ($1, -1), ('', coalesce($2, 0)), ('', -1)
$$;

INSERT INTO technology_counts (kind, language_id, count)
SELECT k.kind, k.language_id, count(*)
FROM technologies t, technology_count_keys(t.kind, t.language_id) k
GROUP BY 1, 2;

-- Statement-level triggers with transition tables: a bulk insert updates each count once.
CREATE FUNCTION technology_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO technology_counts (kind, language_id, count)
    SELECT k.kind, k.language_id, count(*)
    FROM new_rows t, technology_count_keys(t.kind, t.language_id) k
    GROUP BY 1, 2
    ON CONFLICT (kind, language_id) DO UPDATE SET count = technology_counts.count + EXCLUDED.count;
    RETURN NULL;
END;
$$;

CREATE FUNCTION technology_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE technology_counts c SET count = c.count - gone.n
    FROM (
        SELECT k.kind, k.language_id, count(*) AS n
        FROM old_rows t, technology_count_keys(t.kind, t.language_id) k
        GROUP BY 1, 2
    ) AS gone
    WHERE c.kind = gone.kind AND c.language_id = gone.language_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER technology_counts_insert AFTER INSERT ON technologies
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION technology_counts_add();
CREATE TRIGGER technology_counts_delete AFTER DELETE ON technologies
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION technology_counts_remove();
-- An update takes its rows out of the counts as they were and puts them back as they are.
CREATE TRIGGER technology_counts_update_old AFTER UPDATE ON technologies
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION technology_counts_remove();
CREATE TRIGGER technology_counts_update_new AFTER UPDATE ON technologies
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION technology_counts_add();
