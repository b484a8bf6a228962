DROP TRIGGER fact_counts_update_new ON assessments;
DROP TRIGGER fact_counts_update_old ON assessments;
DROP TRIGGER fact_counts_delete ON assessments;
DROP TRIGGER fact_counts_insert ON assessments;
DROP FUNCTION fact_counts_remove();
DROP FUNCTION fact_counts_add();
DROP TABLE fact_counts;
DROP INDEX assessments_by_rank;
