"""The app holding the World and Fortune models and the views."""

__all__: list[str] = []
