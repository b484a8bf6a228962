-- Each result carries the language of the technology it measured, kept by triggers in the
-- transaction of every write, so that a language's evidence (its own results and those of its
-- frameworks and libraries) is read from an index on the results, never gathered over all of
-- the language's members.
ALTER TABLE benchmark_results ADD COLUMN language_id INTEGER;

UPDATE benchmark_results
SET language_id = (SELECT language_id FROM technologies WHERE id = benchmark_results.technology_id);

CREATE INDEX benchmark_results_by_language ON benchmark_results (language_id);

CREATE TRIGGER benchmark_results_language_insert AFTER INSERT ON benchmark_results
BEGIN
    UPDATE benchmark_results
    SET language_id = (SELECT language_id FROM technologies WHERE id = NEW.technology_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER benchmark_results_language_update AFTER UPDATE OF technology_id ON benchmark_results
BEGIN
    UPDATE benchmark_results
    SET language_id = (SELECT language_id FROM technologies WHERE id = NEW.technology_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER technologies_results_language AFTER UPDATE OF language_id ON technologies
BEGIN
    UPDATE benchmark_results SET language_id = NEW.language_id WHERE technology_id = NEW.id;
END;
