-- Each result carries the language of the technology it measured, kept by triggers in the
-- transaction of every write, so that a language's evidence (its own results and those of its
-- frameworks and libraries) is read from an index on the results, never gathered over all of
-- the language's members.
ALTER TABLE benchmark_results ADD COLUMN language_id INTEGER;

UPDATE benchmark_results r SET language_id = t.language_id
FROM technologies t WHERE t.id = r.technology_id;

CREATE INDEX benchmark_results_by_language ON benchmark_results (language_id);

CREATE FUNCTION benchmark_result_language() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.language_id := (SELECT language_id FROM technologies WHERE id = NEW.technology_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER benchmark_results_language
BEFORE INSERT OR UPDATE OF technology_id ON benchmark_results
FOR EACH ROW EXECUTE FUNCTION benchmark_result_language();

CREATE FUNCTION technology_results_language() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE benchmark_results SET language_id = NEW.language_id WHERE technology_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER technologies_results_language
AFTER UPDATE OF language_id ON technologies
FOR EACH ROW WHEN (OLD.language_id IS DISTINCT FROM NEW.language_id)
EXECUTE FUNCTION technology_results_language();
