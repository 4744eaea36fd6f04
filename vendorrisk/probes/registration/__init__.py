"""probes/registration."""
