"""The application registry: what is installed, and the models of each app."""

from manouche.apps.config import AppConfig
from manouche.apps.registry import apps

__all__ = ["AppConfig", "apps"]
