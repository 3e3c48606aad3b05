"""Werkplek: hybrid-work desk and meeting-space booking for Dutch municipalities."""

__version__ = "0.1.0"
