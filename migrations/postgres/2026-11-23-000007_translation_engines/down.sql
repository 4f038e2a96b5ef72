DROP TABLE translation_engines;
