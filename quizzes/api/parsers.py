"""The API's JSON parser: DRF's, with nesting too deep for Python's parser a 400 like any bad JSON."""

import hashlib

from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(gettext("JSON parse error - the document is nested too deeply.")) from None


class UploadedZip(bytes):
    """A zip sent as the request body; as text (the Idempotency-Key fingerprint) it is its SHA-256, not its bytes."""

    def __str__(self) -> str:
        return "sha256:" + hashlib.sha256(self).hexdigest()


class ZipParser(parsers.BaseParser):
    """`Content-Type: application/zip`: the body is the file; request.data is {"file": UploadedZip}."""

    media_type = "application/zip"

    def parse(self, stream, media_type=None, parser_context=None):
        return {"file": UploadedZip(stream.read() if stream is not None else b"")}
