DROP TRIGGER fact_counts_update;
DROP TRIGGER fact_counts_delete;
DROP TRIGGER fact_counts_insert;
DROP TABLE fact_counts;
DROP INDEX assessments_by_rank;
