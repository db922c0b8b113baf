"""Errors about evidence, shared by every layer that saves content citing sources."""


class ContentWithoutEvidence(ValueError):
    """Content must cite at least one passage of a source."""
