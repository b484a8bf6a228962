DROP TABLE benchmark_results;
DROP TABLE benchmark_runs;
DROP TABLE benchmark_uploads;
DROP TABLE benchmark_environments;
DROP TABLE benchmark_scenarios;
