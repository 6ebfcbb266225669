"""Data files of the evaluation app (grading presets), read with importlib.resources."""
