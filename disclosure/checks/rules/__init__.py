"""Rule families, one module each; importing this package registers them all."""

from . import codes, coded, cross, economic, fixed, inputs, prior, sanity  # noqa: F401
