-- A dimension's facts are listed best score first (no score last), then by technology: the
-- index serves that order and the keyset paging that walks it. And how many facts each
-- dimension has, kept by a trigger in the transaction of every write to facts.
CREATE INDEX assessments_by_rank ON assessments (dimension_id, coalesce(-score, 0), technology_id);

CREATE TABLE fact_counts (
    dimension_id INTEGER PRIMARY KEY REFERENCES dimensions (id) ON DELETE CASCADE,
    count        BIGINT NOT NULL
);
INSERT INTO fact_counts (dimension_id, count)
SELECT dimension_id, count(*) FROM assessments GROUP BY dimension_id;

CREATE FUNCTION fact_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE fact_counts SET count = count - 1 WHERE dimension_id = OLD.dimension_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO fact_counts (dimension_id, count) VALUES (NEW.dimension_id, 1)
        ON CONFLICT (dimension_id) DO UPDATE SET count = fact_counts.count + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER fact_counts_insert_delete AFTER INSERT OR DELETE ON assessments
FOR EACH ROW EXECUTE FUNCTION fact_counts_keep();
CREATE TRIGGER fact_counts_update AFTER UPDATE OF dimension_id ON assessments
FOR EACH ROW EXECUTE FUNCTION fact_counts_keep();
