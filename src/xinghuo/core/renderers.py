"""JSON as UTF-8 text (Chinese readable in the response, not \\u escapes)."""

from ninja.renderers import JSONRenderer


class UTF8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}
