"""Guidebook: a static site generator for coaching guides with fillable, printable worksheets."""

__version__ = "0.1.0"
