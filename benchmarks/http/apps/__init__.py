"""Hello-world apps served by real servers in ``benchmarks/http/hello_world.py``."""
