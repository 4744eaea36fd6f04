"""Allow ``python -m vendorrisk``."""

from vendorrisk.cli import main

main()
