"""labkit's benchmarks: ``make bench`` (``python -m benchmarks``)."""
