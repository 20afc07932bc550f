"""mitradesa: village registry, IDM, partnerships and economic mentoring for a DPMD."""

__version__ = "0.1.0"
