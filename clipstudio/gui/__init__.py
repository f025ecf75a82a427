"""The desktop app (PySide6): widgets, view-models and workers over clipstudio.core."""
