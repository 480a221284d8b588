"""``njit``: numba's compiler when numba is installed (the ``fast`` extra), else a no-op.

The search kernels in :mod:`kg.query.paths` and :mod:`kg.query.neighborhood` are plain Python over numpy
arrays, written in the subset numba compiles. Compiled, they meet the benchmark targets on a
2.25M-edge graph; uncompiled, they give the same answers and are quick enough for graphs of
thousands of edges such as the curated one, without numba's ~200 MB of LLVM in the image.
"""

try:
    from numba import njit
except ImportError:  # pragma: no cover - exercised where numba is absent (the Docker image)

    def njit(*args, **_options):
        """Return the function unchanged, used bare (``@njit``) or with options (``@njit(cache=True)``)."""
        if len(args) == 1 and callable(args[0]):
            return args[0]
        return lambda function: function


COMPILED = njit.__module__.startswith("numba")
