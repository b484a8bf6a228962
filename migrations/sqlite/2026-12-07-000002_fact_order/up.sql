-- A dimension's facts are listed best score first (no score last), then by technology: the
-- index serves that order and the keyset paging that walks it. And how many facts each
-- dimension has, kept by triggers in the transaction of every write to facts.
CREATE INDEX assessments_by_rank ON assessments (dimension_id, coalesce(-score, 0), technology_id);

CREATE TABLE fact_counts (
    dimension_id INTEGER PRIMARY KEY REFERENCES dimensions (id) ON DELETE CASCADE,
    count        INTEGER NOT NULL
);
INSERT INTO fact_counts (dimension_id, count)
SELECT dimension_id, count(*) FROM assessments GROUP BY dimension_id;

CREATE TRIGGER fact_counts_insert AFTER INSERT ON assessments
BEGIN
    INSERT INTO fact_counts (dimension_id, count) VALUES (NEW.dimension_id, 1)
    ON CONFLICT (dimension_id) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER fact_counts_delete AFTER DELETE ON assessments
BEGIN
    UPDATE fact_counts SET count = count - 1 WHERE dimension_id = OLD.dimension_id;
END;

CREATE TRIGGER fact_counts_update AFTER UPDATE OF dimension_id ON assessments
BEGIN
    UPDATE fact_counts SET count = count - 1 WHERE dimension_id = OLD.dimension_id;
    INSERT INTO fact_counts (dimension_id, count) VALUES (NEW.dimension_id, 1)
    ON CONFLICT (dimension_id) DO UPDATE SET count = count + 1;
END;
