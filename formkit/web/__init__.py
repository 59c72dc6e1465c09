"""formkit in the browser: ``formkit serve`` and the JSON API.

``create_app(settings)`` (:mod:`formkit.web.app`) builds the app; :mod:`formkit.web.config`
reads ``formkit.toml``. Nothing here is imported by the rest of formkit.
"""
