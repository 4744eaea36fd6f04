"""Live probes: observe DNS and registration data. Pure parsers plus a thin async I/O layer."""
