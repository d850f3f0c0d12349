"""TechEmpower-style benchmark: six test types implemented four ways.

``python -m benchmarks.techempower`` (see ``benchmarks/README.md``) sets the
database up, serves each implementation in turn, validates it, drives it with
wrk and writes ``BENCHMARKS.md``. ``--smoke`` drives the apps in-process.
"""

__all__: list[str] = []
