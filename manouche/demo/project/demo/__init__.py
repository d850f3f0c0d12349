"""The manouche demo: a small project showing what the framework does today."""
