"""Bounds on untrusted packages, as one typed and documented value.

Every reader, verifier and extractor takes a :class:`Limits`; nothing else in
the code base hard-codes a size. The defaults follow the format spec and the
adversarial cases (SECURITY-CASES.md, section A).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps applied while reading a package; all are configurable.

    Attributes:
        max_compressed_bytes: Size of the ``.argent-pkg`` file itself.
        max_uncompressed_bytes: Total bytes the gzip stream may inflate to.
        max_ratio: Inflated/compressed ratio allowed once ``ratio_floor_bytes``
            have been inflated (small packages are all headers and padding, whose
            ratio means nothing).
        ratio_floor_bytes: Inflated size from which the ratio is enforced.
        max_members: Tar members of any kind, directories and metadata included.
        max_component_bytes: One path component, UTF-8 encoded.
        max_path_bytes: A whole member path, UTF-8 encoded.
        max_depth: Path components in one member path.
        max_control_file_bytes: ``argent.plugin.json``, ``connector.json``,
            ``SHA256SUMS`` and ``SIGNATURE`` are read into memory; this bounds them.
        max_meta_header_bytes: PAX and GNU long-name headers.
        chunk_bytes: Read and inflate granularity; bounds memory per step.
    """

    max_compressed_bytes: int = 5 * MiB
    max_uncompressed_bytes: int = 50 * MiB
    max_ratio: int = 200
    ratio_floor_bytes: int = 1 * MiB
    max_members: int = 2000
    max_component_bytes: int = 255
    max_path_bytes: int = 1024
    max_depth: int = 16
    max_control_file_bytes: int = 1 * MiB
    max_meta_header_bytes: int = 64 * 1024
    chunk_bytes: int = 64 * 1024


DEFAULT_LIMITS = Limits()
