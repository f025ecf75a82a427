"""Clip Studio: phone footage in, a Facebook-ready campaign clip out."""

__version__ = "0.1.0"
