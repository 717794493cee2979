"""Pure folding helpers of the evaluator (:mod:`.python_eval`): what a format string, a
path method, a file opened or an ``int`` operation gives, and how a call's arguments bind
to a local function's parameters. No state: each takes values and returns values.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from argent_marketplace.scan.patterns import UNKNOWN, credential_target, platform_target
from argent_marketplace.scan.python_model import Scope
from argent_marketplace.scan.python_values import (
    CREDENTIAL,
    FILE,
    NOTHING,
    PKGDIR,
    PKGFILE,
    PLATFORM,
    RETURNED,
    TMP,
    WFILE,
    Val,
    union,
)

__all__ = [
    "MAX_TABLE",
    "apply_int_op",
    "bind_arguments",
    "either",
    "format_fields",
    "grown_list",
    "int_const",
    "is_param",
    "only_env_keyword",
    "opened",
    "percent_format",
    "read_result",
    "renamed",
    "safe_chr",
    "substitute",
    "without_results",
]

_READ_MODES = frozenset("wax+")
MAX_TABLE = 32  # entries of a literal table folded for a loop over its items
_MAX_EITHER = 4096  # characters of alternatives kept for one value
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdirfx%]")
_PLACEHOLDER = re.compile(r"\$(?:\{(\w+)\}|(\w+)|\$)")


def int_const(node: ast.expr) -> int | None:
    """An ``int`` literal (``True`` is no number here), or ``None``."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def without_results(labels: frozenset[str]) -> frozenset[str]:
    """``labels`` less the results of other modules' functions (``RETURNED``): one item
    taken from such a result by a literal key is not the whole of it."""
    if not any(label.startswith(RETURNED) for label in labels):
        return labels
    return frozenset(label for label in labels if not label.startswith(RETURNED))


def either(texts: list[str]) -> str | None:
    """Alternatives joined as ``a|b|c``, or nothing when there are too many or they are too
    long: tables built from loops over tables would multiply them at every level."""
    if len(texts) > MAX_TABLE or sum(len(t) for t in texts) > _MAX_EITHER:
        return None
    return "|".join(texts)


def renamed(method: str, path: Val, arg: Val, labels: frozenset[str]) -> Val:
    """``path.with_name("_x.py")``, ``path.with_suffix(".py")``: where the path now points."""
    text = path.text if path.text is not None else UNKNOWN
    folder, sep, name = text.rpartition("/")
    if method == "with_name":
        new = f"{folder if sep else UNKNOWN}/{arg.partial()}"
    else:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        new = f"{folder}{sep}{stem}{arg.partial()}"
    return Val(new, False, path.labels | labels)


def substitute(template: str, kws: dict[str | None, Val]) -> str:
    """A ``string.Template`` filled with what is known of each keyword value."""

    def fill(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        if name is None:
            return "$"
        value = kws.get(name)
        return value.partial() if value is not None else UNKNOWN

    return _PLACEHOLDER.sub(fill, template)


def percent_format(template: str, values: tuple[Val, ...]) -> str:
    """``"%s/.%s/%s" % (home, "ssh", name)`` with what is known of each value."""
    out: list[str] = []
    pos = 0
    it = iter(values)
    for m in _PERCENT.finditer(template):
        out.append(template[pos : m.start()])
        pos = m.end()
        if m.group() == "%%":
            out.append("%")
            continue
        value = next(it, NOTHING) if not m.group().startswith("%(") else NOTHING
        out.append(value.partial())
    out.append(template[pos:])
    return "".join(out)


def grown_list(bindings: list[tuple[str, object, Scope]], vals: list[Val]) -> Val | None:
    """A list built as ``argv = ["git", ...]`` then grown by ``argv += [...]``.

    Its first item stays the program whatever is appended, so a downloaded URL
    appended as an argument is not read as the command. Bindings are put back in
    source order (the walk records them in another). ``None`` when they are anything
    else (then every binding's labels count, as for any name).
    """
    kinds = [b[0] for b in bindings]
    if "merge" not in kinds or any(v.items is None for v in vals):
        return None
    if any(k not in ("value", "merge") for k in kinds):
        return None
    ordered = sorted(
        zip(kinds, vals, (b[1] for b in bindings), strict=True),
        key=lambda b: (getattr(b[2], "lineno", 0), getattr(b[2], "col_offset", 0)),
    )
    if ordered[0][0] != "value":
        return None
    starts = [v.items for k, v, _ in ordered if k == "value"]
    if not all(starts):
        return None
    firsts = [items[0] for items in starts if items]
    texts = {f.text for f in firsts}
    text = texts.pop() if len(texts) == 1 else None
    first = Val(text, text is not None and all(f.exact for f in firsts), union(firsts))
    rest = [item for k, v, _ in ordered for item in (v.items or ())[1 if k == "value" else 0 :]]
    return Val(labels=union(vals), items=(first, *rest))


def only_env_keyword(node: ast.Call, kws: dict[str | None, Val]) -> bool:
    """The environment is passed only as ``env=``: the subprocess convention, not a leak."""
    env = kws.get("env")
    others = [k for k in node.keywords if k.arg != "env"]
    return env is not None and not node.args and not others


def opened(path: Val, mode: Val) -> Val:
    """What ``open(path, mode)`` gives: a file to write (keeping where it is) or what reading
    it yields."""
    if mode.text is not None and set(mode.text) & _READ_MODES:
        kept = {label for label in path.labels if label in (PKGDIR, TMP) or is_param(label)}
        return Val(path.text, False, frozenset(kept | {WFILE}))
    return read_result(path)


def is_param(label: str) -> bool:
    """A parameter's label (``p12:dest``): the caller's argument, mapped at each call."""
    return label[:1] == "p" and label[1:2].isdigit()


def read_result(path: Val) -> Val:
    """What reading ``path`` yields: platform or credential data, a file of the package, a file."""
    if platform_target(path.partial()):
        return Val(labels=frozenset({FILE, PLATFORM}))
    if credential_target(path.partial()):
        return Val(labels=frozenset({FILE, CREDENTIAL}))
    if PKGDIR in path.labels:
        return Val(labels=frozenset({FILE, PKGFILE}))
    return Val(labels=frozenset({FILE}))


def format_fields(template: str, args: list[Val]) -> str:
    """``"{}/{}".format(a, b)`` with what is known of each argument."""
    pieces = template.split("{")
    out = [pieces[0]]
    for i, piece in enumerate(pieces[1:]):
        _, _, rest = piece.partition("}")
        out.append(args[i].partial() if i < len(args) else UNKNOWN)
        out.append(rest)
    return "".join(out)


def safe_chr(code: int) -> str:
    """``chr(code)``, or the unknown marker for a code no character has."""
    return chr(code) if 0 <= code < 0x110000 else UNKNOWN


def apply_int_op(node: ast.expr, var: str, value: int) -> int | None:
    """``chr(c)``, ``chr(c ^ 7)``, ``chr(c - 3)``...: the code for one element."""
    if isinstance(node, ast.Name) and node.id == var:
        return value
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Name) and node.left.id == var:
        k = int_const(node.right)
        if k is None:
            return None
        ops: dict[type, Callable[[int, int], int]] = {
            ast.BitXor: lambda a, b: a ^ b,
            ast.Sub: lambda a, b: a - b,
            ast.Add: lambda a, b: a + b,
        }
        op = ops.get(type(node.op))
        return op(value, k) if op is not None else None
    return None


def bind_arguments(
    func: Scope, via_attribute: bool, args: list[Val], kws: dict[str | None, Val]
) -> dict[str, Val]:
    """Parameter label -> argument value for a call of local function ``func``."""
    offset = 1 if via_attribute and func.is_method else 0
    bound: dict[str, Val] = {}
    for i, arg in enumerate(args):
        j = i + offset
        if j < len(func.param_order):
            bound[func.param_order[j]] = arg
    for name, arg in kws.items():
        if name is not None and name in func.param_names:
            bound[func.param_names[name]] = arg
    return bound
