"""probes/dns."""
