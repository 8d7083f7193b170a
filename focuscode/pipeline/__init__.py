"""Pure pipeline stages: ingest, segment, embed, cluster, label. No storage, no UI."""
