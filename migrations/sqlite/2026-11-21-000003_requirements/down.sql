DROP TABLE requirement_weights;
DROP TABLE requirements;
