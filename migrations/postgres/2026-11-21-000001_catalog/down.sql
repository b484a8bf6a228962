DROP TABLE content_revision;
DROP TABLE assessment_sources;
DROP TABLE assessments;
DROP TABLE sources;
DROP TABLE dimensions;
DROP TABLE technologies;
