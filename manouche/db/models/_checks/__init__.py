"""System checks of models, fields and relations (``Model.check()`` and co).

``Model.check()`` and ``Field.check()`` delegate here so the model and field
modules stay about building models; nothing here runs unless a check is asked
for (``manage.py check`` or a management command's automatic checks).
"""

from __future__ import annotations

from manouche.db.models._checks.fields import check_field
from manouche.db.models._checks.model import check_model

__all__ = ["check_field", "check_model"]
