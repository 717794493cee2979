"""Argent Marketplace: signed connector packages for ArgentOS.

The domains are split by what they own (see docs/architecture.md):
``package`` (the .argent-pkg format), ``client`` (the ``argent`` CLI) and
``server`` (the ``argent-marketplace`` service).
"""

__version__ = "0.1.0"
