"""Running manouche under uvicorn: the application factory and server settings."""
