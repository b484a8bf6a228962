DROP TRIGGER technologies_results_language ON technologies;
DROP FUNCTION technology_results_language();
DROP TRIGGER benchmark_results_language ON benchmark_results;
DROP FUNCTION benchmark_result_language();
DROP INDEX benchmark_results_by_language;
ALTER TABLE benchmark_results DROP COLUMN language_id;
