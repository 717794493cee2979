"""Static analysis and permission audit of connector packages (publish steps 3 and 4).

Python is parsed with ``ast`` and never imported or executed. Entry points:
:class:`PackageScanner` (the publish pipeline's scanner and the local gate),
:func:`verdict`, :class:`Policy`. docs/scanner.md lists every rule family and the
library each one uses.
"""

from argent_marketplace.scan.findings import CAPABILITIES, SEVERITIES, CapabilityUse, Finding
from argent_marketplace.scan.inputs import ScanFiles, files_from_entries, read_package_files
from argent_marketplace.scan.policy import (
    DEFAULT_POLICY,
    Policy,
    load_policy,
    policy_from_env,
    verdict,
)
from argent_marketplace.scan.scanner import PackageScanner, ScanContext, ScanReport

__all__ = [
    "CAPABILITIES",
    "DEFAULT_POLICY",
    "SEVERITIES",
    "CapabilityUse",
    "Finding",
    "PackageScanner",
    "Policy",
    "ScanContext",
    "ScanFiles",
    "ScanReport",
    "files_from_entries",
    "load_policy",
    "policy_from_env",
    "read_package_files",
    "verdict",
]
