"""The Django template language compiler: source -> tokens -> nodes -> Python.

Private: the public names live in ``manouche.template.base`` and friends.
"""
