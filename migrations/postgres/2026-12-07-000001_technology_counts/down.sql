DROP TRIGGER technology_counts_update ON technologies;
DROP TRIGGER technology_counts_insert_delete ON technologies;
DROP FUNCTION technology_counts_keep();
DROP TABLE technology_counts;
