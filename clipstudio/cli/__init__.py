"""The command line: argument parsing and printing only; every decision lives in clipstudio.core."""

from clipstudio.cli.main import main

__all__ = ["main"]
