-- A dimension's facts are listed best score first (no score last), then by technology: the
-- index serves that order and the keyset paging that walks it. And how many facts each
-- dimension has, kept by triggers in the transaction of every write to facts.
CREATE INDEX assessments_by_rank ON assessments (dimension_id, coalesce(-score, 0), technology_id);

CREATE TABLE fact_counts (
    dimension_id INTEGER PRIMARY KEY REFERENCES dimensions (id) ON DELETE CASCADE,
    count        BIGINT NOT NULL
);
INSERT INTO fact_counts (dimension_id, count)
SELECT dimension_id, count(*) FROM assessments GROUP BY dimension_id;

-- Statement-level triggers with transition tables: a bulk insert updates each count once.
CREATE FUNCTION fact_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fact_counts (dimension_id, count)
    SELECT dimension_id, count(*) FROM new_rows GROUP BY dimension_id
    ON CONFLICT (dimension_id) DO UPDATE SET count = fact_counts.count + EXCLUDED.count;
    RETURN NULL;
END;
$$;

CREATE FUNCTION fact_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE fact_counts c SET count = c.count - gone.n
    FROM (SELECT dimension_id, count(*) AS n FROM old_rows GROUP BY dimension_id) AS gone
    WHERE c.dimension_id = gone.dimension_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER fact_counts_insert AFTER INSERT ON assessments
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fact_counts_add();
CREATE TRIGGER fact_counts_delete AFTER DELETE ON assessments
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fact_counts_remove();
-- An update takes its rows out of the counts as they were and puts them back as they are.
CREATE TRIGGER fact_counts_update_old AFTER UPDATE ON assessments
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fact_counts_remove();
CREATE TRIGGER fact_counts_update_new AFTER UPDATE ON assessments
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fact_counts_add();
