"""vendorrisk: lock-in and compliance risk of the vendors behind an MSP's clients' DNS."""

__version__ = "0.1.0"
