"""The app's HTML pages, one module per page (each has a ``router``)."""
