"""Getting festivals in and out: the manifest reader, the all-or-nothing importer, the exporter."""
