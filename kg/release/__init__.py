"""Versioned releases of the graph (``kg release``) and claim-level differences between any two
versions (``kg diff``): ``snapshot`` reads what a version asserts, ``diff`` compares two, ``publish``
writes a release folder with its record and changelog section.
"""
