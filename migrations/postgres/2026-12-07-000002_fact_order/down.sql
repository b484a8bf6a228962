DROP TRIGGER fact_counts_update ON assessments;
DROP TRIGGER fact_counts_insert_delete ON assessments;
DROP FUNCTION fact_counts_keep();
DROP TABLE fact_counts;
DROP INDEX assessments_by_rank;
