"""Provider and registrar knowledge loaded from data/ (providers.yaml, registrars.yaml)."""
