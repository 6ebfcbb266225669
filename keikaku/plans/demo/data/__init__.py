"""Data files of the demo city (measures.json), read with importlib.resources."""
