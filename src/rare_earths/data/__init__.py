"""The data: sources, claims, units, reference tables, coverage, their schemas and files."""
