"""Reading a site from disk: config, content files, annotation layers (safe YAML with positions), checked and anchored."""
