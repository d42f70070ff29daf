"""gunicorn's settings for the production image (`gunicorn -c python:casework.gunicorn`).

The access log goes through casework.logs (no query strings, no feed tokens), and responses
do not announce the server's name and version."""

from gunicorn.http import wsgi

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
logger_class = "casework.logs.GunicornLogger"

_default_headers = wsgi.Response.default_headers


def _without_server_name(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_name
