-- Benchmark evidence: what was measured (scenarios), where (environments), the files
-- imported from load tools (uploads, kept as they came), the runs read from them and each
-- run's results per technology. Times are naive UTC, set by the application.

CREATE TABLE benchmark_scenarios (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    -- The scored dimension whose scores the advisor may take from this scenario's results.
    dimension_id INTEGER REFERENCES dimensions (id) ON DELETE SET NULL,
    position     INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX benchmark_scenarios_by_position ON benchmark_scenarios (position, id);
CREATE INDEX benchmark_scenarios_by_dimension ON benchmark_scenarios (dimension_id);

CREATE TABLE benchmark_environments (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    hardware   TEXT NOT NULL,
    os         TEXT NOT NULL,
    notes      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

-- A load tool's output as it was uploaded. Until it is confirmed (`imported_at`), it only
-- backs the import's preview; unconfirmed uploads are swept after a day.
CREATE TABLE benchmark_uploads (
    id          INTEGER PRIMARY KEY,
    tool        TEXT NOT NULL CHECK (tool IN ('wrk', 'oha', 'k6', 'techempower')),
    filename    TEXT NOT NULL,
    content     TEXT NOT NULL,
    -- The choices made with the upload (scenario, environment, technology…), as JSON.
    settings    TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at TIMESTAMP NOT NULL,
    imported_at TIMESTAMP
);
CREATE INDEX benchmark_uploads_by_imported ON benchmark_uploads (imported_at, uploaded_at);

CREATE TABLE benchmark_runs (
    id             INTEGER PRIMARY KEY,
    -- None for runs that came without a file (the demo dataset's published table).
    upload_id      INTEGER REFERENCES benchmark_uploads (id) ON DELETE CASCADE,
    scenario_id    INTEGER NOT NULL REFERENCES benchmark_scenarios (id) ON DELETE CASCADE,
    environment_id INTEGER REFERENCES benchmark_environments (id) ON DELETE SET NULL,
    source_id      INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    tool           TEXT NOT NULL CHECK (tool IN ('wrk', 'oha', 'k6', 'techempower')),
    tool_version   TEXT NOT NULL,
    ran_on         DATE NOT NULL,
    concurrency    INTEGER,
    threads        INTEGER,
    duration_secs  DOUBLE,
    notes          TEXT NOT NULL,
    -- k6's checks and thresholds, as JSON arrays; empty arrays for other tools.
    checks         TEXT NOT NULL,
    thresholds     TEXT NOT NULL,
    imported_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX benchmark_runs_by_scenario ON benchmark_runs (scenario_id, id);
CREATE INDEX benchmark_runs_by_upload ON benchmark_runs (upload_id);
CREATE INDEX benchmark_runs_by_environment ON benchmark_runs (environment_id);
CREATE INDEX benchmark_runs_by_source ON benchmark_runs (source_id);

CREATE TABLE benchmark_results (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES benchmark_runs (id) ON DELETE CASCADE,
    technology_id    INTEGER NOT NULL REFERENCES technologies (id) ON DELETE CASCADE,
    -- What the file called the target: a URL, a TechEmpower framework, an implementation.
    label            TEXT NOT NULL,
    requests_per_sec DOUBLE NOT NULL,
    total_requests   BIGINT,
    latency_avg_ms   DOUBLE,
    latency_stdev_ms DOUBLE,
    latency_max_ms   DOUBLE,
    p50_ms           DOUBLE,
    p75_ms           DOUBLE,
    p90_ms           DOUBLE,
    p95_ms           DOUBLE,
    p99_ms           DOUBLE,
    p999_ms          DOUBLE,
    errors           BIGINT NOT NULL,
    non_2xx          BIGINT NOT NULL,
    -- {"200": 1000, …} and {"timeout": 3, …}: what the tool reported, as JSON objects.
    status_codes     TEXT NOT NULL,
    error_kinds      TEXT NOT NULL,
    memory_mib       DOUBLE,
    position         INTEGER NOT NULL
);
CREATE INDEX benchmark_results_by_run ON benchmark_results (run_id, requests_per_sec);
CREATE INDEX benchmark_results_by_technology ON benchmark_results (technology_id, run_id);
