DROP TRIGGER technology_counts_update;
DROP TRIGGER technology_counts_delete;
DROP TRIGGER technology_counts_insert;
DROP TABLE technology_counts;
