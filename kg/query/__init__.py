"""Queries over the array index of a graph (no HTTP): ``index`` (the CSR arrays and records),
``lookup`` (names), ``edges``, ``neighborhood``, ``paths`` (with ``compiled`` kernels and the
answer ``bounds``), ``evidence`` (pooling by polarity), ``conflicts`` and ``explain``.
"""
