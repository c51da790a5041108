"""fieldkit: offline community resilience fieldwork (interviews, relationship maps, indicators)."""

__version__ = "0.1.0"
