"""Template loaders: filesystem, app directories, cached and locmem."""
