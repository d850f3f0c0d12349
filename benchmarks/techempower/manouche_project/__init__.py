"""The benchmark written as a manouche project, the way the docs teach."""

__all__: list[str] = []
