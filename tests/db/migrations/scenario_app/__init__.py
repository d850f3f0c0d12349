"""A library app evolved through a dozen migrations by test_scenario_evolution.

The test copies this package into a temporary directory and replaces its
``models.py`` with ``steps/NN_*.py`` one step at a time (``models.py`` here is
step 01); ``data.py`` holds the ``RunPython`` code of its data migrations.
"""
