"""Use cases shared by CLI and TUI; the only layer that opens database sessions."""
