"""The facts the rules read: inventory and observations as frozen typed values, the field
rules that make them, and the schedules derived from them. No database, no I/O."""
