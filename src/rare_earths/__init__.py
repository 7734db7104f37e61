"""Reproducible research on India's rare-earth supply chain: claims, units, calculations, audit."""

__version__ = "0.1.0"
