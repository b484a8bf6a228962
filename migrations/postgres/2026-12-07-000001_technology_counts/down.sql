DROP TRIGGER technology_counts_update_new ON technologies;
DROP TRIGGER technology_counts_update_old ON technologies;
DROP TRIGGER technology_counts_delete ON technologies;
DROP TRIGGER technology_counts_insert ON technologies;
DROP FUNCTION technology_counts_remove();
DROP FUNCTION technology_counts_add();
DROP FUNCTION technology_count_keys(TEXT, INTEGER);
DROP TABLE technology_counts;
