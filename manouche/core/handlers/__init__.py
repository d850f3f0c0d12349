"""Request handlers: the ASGI and WSGI entry points and the middleware chain."""
