"""The benchmark written as a django project, the way the docs teach."""

__all__: list[str] = []
