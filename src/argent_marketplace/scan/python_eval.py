"""The value of a Python expression, computed on demand without running anything.

:class:`Evaluator` gives a :class:`~argent_marketplace.scan.python_values.Val` for
an expression of a :class:`~argent_marketplace.scan.python_model.PyModel`
(memoised), following names to their bindings and calls of local functions to
what they return. Only the arguments of calls the rules care about are ever
evaluated, which keeps a typical file cheap. Recursion is bounded: an expression
nested deeper than the bound is reported as scanner evasion by the rules.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable

from argent_marketplace.scan import python_api as api
from argent_marketplace.scan.patterns import (
    credential_target,
    is_encoded_blob,
    platform_target,
)
from argent_marketplace.scan.python_folding import (
    MAX_TABLE,
    apply_int_op,
    bind_arguments,
    either,
    format_fields,
    grown_list,
    int_const,
    is_param,
    only_env_keyword,
    opened,
    percent_format,
    read_result,
    renamed,
    safe_chr,
    substitute,
    without_results,
)
from argent_marketplace.scan.python_model import PyModel, Scope
from argent_marketplace.scan.python_values import (
    ASSEMBLED,
    BLOB,
    BYTES,
    CODE,
    CREDENTIAL,
    DECODED,
    ENV_DUMP,
    ENVIRON,
    FILE,
    INDIRECT,
    NAMED_ENV,
    NETWORK,
    NOTHING,
    PKGDIR,
    PKGFILE,
    PLATFORM,
    RETURNED,
    TMP,
    Val,
    fold_decode,
    is_codec_name,
    join_texts,
    union,
)

__all__ = ["Evaluator"]

_BUILTINS = frozenset(dir(builtins))
_HOME_VARS = frozenset({"HOME", "USERPROFILE", "HOMEPATH"})
_MAX_DEPTH = 120
_MAX_BINDINGS = 8
_MAX_FOLD_ITEMS = 100_000
_EXACT_STR_METHODS = frozenset(
    {"lower", "upper", "strip", "lstrip", "rstrip", "title", "casefold", "swapcase"}
)
_PATH_CALLS = frozenset(
    {
        "os.path.expanduser",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.path.expandvars",
        "os.path.join",
        "os.path.dirname",
        "os.fspath",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "pathlib.PurePosixPath",
    }
)
_PATH_METHODS = frozenset(
    {"joinpath", "expanduser", "resolve", "absolute", "with_name", "with_suffix", "as_posix"}
)
_LABEL_ERASING = frozenset(
    {
        "builtins.len",
        "builtins.isinstance",
        "builtins.bool",
        "builtins.int",
        "builtins.float",
        "builtins.any",
        "builtins.all",
        "builtins.hash",
        "builtins.id",
        "builtins.type",
        "builtins.callable",
        "builtins.hasattr",
        "builtins.print",
    }
)
# Request signers and MACs: they sign with a secret, the request never carries it. Their
# result loses the credential labels only (an environment dump given to one stays one).
_SIGNERS = frozenset(
    {
        "requests_aws4auth.AWS4Auth",
        "aws_requests_auth.aws_auth.AWSRequestsAuth",
        "aws_requests_auth.boto_utils.BotoAWSRequestsAuth",
        "botocore.auth.SigV4Auth",
        "opensearchpy.RequestsAWSV4SignerAuth",
        "opensearchpy.AWSV4SignerAuth",
        "opensearchpy.helpers.signer.RequestsAWSV4SignerAuth",
        "requests_auth_aws_sigv4.AWSSigV4",
        "hmac.new",
        "hmac.digest",
        "hmac.HMAC",
    }
)
# Environment variable names that say they hold a secret (GITHUB_TOKEN, OPENAI_API_KEY).
# A prefix: "$?p12:name" labels a variable read by a helper under a name its caller gives.
_NAMED_BY = NAMED_ENV + "?"
_SECRET_NAME = re.compile(
    r"(?:TOKEN|SECRET|PASSWORD|PASSWD|_KEY|_PAT|CREDENTIALS?)$",
    re.IGNORECASE,
)
_ENVIRON_QUALS = frozenset({"os.environ", "os.environb"})
_SITE_PACKAGES = frozenset(
    {"sysconfig.get_path", "sysconfig.get_paths", "site.getsitepackages",
     "site.getusersitepackages", "distutils.sysconfig.get_python_lib"}
)  # fmt: skip
_PACKAGE_RESOURCES = frozenset(
    {"importlib.resources.files", "importlib_resources.files", "importlib.resources.path"}
)
# Commands whose output is the whole environment.
_ENV_PRINTERS = frozenset({"env", "printenv", "/usr/bin/env", "/usr/bin/printenv", "set"})


def _own_module(qual: str, roots: frozenset[str]) -> bool:
    """Whether ``qual`` names something of the package's own modules (``.util.f``)."""
    return qual.startswith(".") or qual.split(".", 1)[0] in roots


# Node type -> the Evaluator method for it (None: labels of the children).
_DISPATCH: dict[type, Callable[..., Val] | None] = {}


class Evaluator:
    """Step 2: the value of an expression, computed on demand and memoised."""

    def __init__(self, model: PyModel) -> None:
        self.m = model
        self.memo: dict[int, Val] = {}
        self.busy: set[tuple[int, str]] = set()
        self.returning: set[int] = set()
        self.depth = 0
        self.too_deep = False
        self.escapes: list[int] = []
        self.tables: set[int] = set()  # literal tables being looked up (self-reference guard)

    # -- names -----------------------------------------------------------------------
    def lookup(self, name: str, scope: Scope) -> Val:
        """The value of ``name`` as seen from ``scope`` (local, enclosing, module, builtins)."""
        s: Scope | None = scope
        while s is not None:
            if name in s.bindings:
                return self._bound(name, s)
            s = s.parent
        if name == "__file__":
            return Val(labels=frozenset({PKGDIR}))
        if name == "__builtins__":
            return Val(qual="builtins")
        if name in _BUILTINS:
            return Val(qual="builtins." + name)
        return NOTHING

    def _bound(self, name: str, scope: Scope) -> Val:
        key = (scope.sid, name)
        if key in self.busy:
            return NOTHING
        self.busy.add(key)
        bindings = scope.bindings[name][:_MAX_BINDINGS]
        try:
            vals = [self._binding(*b) for b in bindings]
        finally:
            self.busy.discard(key)
        if len(vals) == 1:
            return vals[0]
        grown = grown_list(bindings, vals)
        if grown is not None:
            return grown
        texts = {v.text for v in vals}
        quals = {v.qual for v in vals}
        text = texts.pop() if len(texts) == 1 else None
        return Val(
            text,
            text is not None and all(v.exact for v in vals),
            union(vals),
            quals.pop() if len(quals) == 1 else None,
        )

    def _binding(self, kind: str, payload: object, where: Scope) -> Val:
        if kind == "module":
            if payload in _ENVIRON_QUALS:  # from os import environ as cfg
                return Val(qual="os.environ", labels=frozenset({ENVIRON}))
            qual = str(payload)
            if self.m.package_imports and _own_module(qual, self.m.own_roots):
                # from .diag import SNAPSHOT: a value of another module, matched later
                return Val(qual=qual, labels=frozenset({RETURNED + qual}))
            return Val(qual=qual)
        if kind == "def":
            return Val(func=payload)
        if kind == "class":
            return NOTHING
        if kind == "param":
            return Val(labels=frozenset({str(payload)}))
        if kind in ("key-of", "value-of") and isinstance(payload, ast.expr):
            return self._table_side(payload, where, kind == "key-of")
        value = self.ev(payload, where) if isinstance(payload, ast.AST) else NOTHING
        if kind == "value":
            return value
        labels = value.labels
        if kind == "merge":  # x += [...]: its items, for a list grown from a display
            return Val(labels=labels, items=value.items)
        if kind == "iter":
            if value.items is not None:
                labels = labels | union(value.items)
                texts = [v.text for v in value.items if v.text is not None]
                if texts and len(texts) == len(value.items):
                    # A loop over literal names or paths: keep every alternative
                    # ("id_rsa|id_ed25519"), so what is built from the loop variable still
                    # names what it reaches.
                    return Val(either(texts), False, labels)
            if ENVIRON in labels:
                labels = labels | {ENV_DUMP}
        return Val(labels=labels)

    def _table_side(self, table: ast.expr, where: Scope, keys: bool) -> Val:
        """A loop variable over ``TABLE.items()``: every key, or every value, of a literal
        table as alternatives (``"exodus|electrum"``); lists of values pooled as items."""
        tables: list[tuple[ast.Dict, Scope]] = []
        if isinstance(table, ast.Dict):
            tables.append((table, where))
        elif isinstance(table, ast.Name):  # every literal table the name is bound to
            for kind, payload, scope in where.bindings_of(table.id)[:_MAX_BINDINGS]:
                if kind == "value" and isinstance(payload, ast.Dict):
                    tables.append((payload, scope))
                elif kind in ("value", "item"):  # T = load(), T["k"] = v: not only literals
                    return Val(labels=self.ev(table, where).labels)
        if not tables:
            return Val(labels=self.ev(table, where).labels)
        vals = [
            self.ev(node, scope)
            for found, scope in tables
            for node in (found.keys if keys else found.values)[:MAX_TABLE]
            if node is not None
        ]
        labels = union(vals)
        texts = [v.text for v in vals if v.text is not None]
        if vals and len(texts) == len(vals):
            return Val(either(texts), False, labels)
        if vals and all(v.items is not None for v in vals):
            pooled = tuple(item for v in vals for item in v.items or ())[:MAX_TABLE]
            return Val(labels=labels, items=pooled)  # for cli, args in CLIS.items(): *args
        return Val(labels=labels)

    # -- expressions -------------------------------------------------------------------
    def ev(self, node: ast.AST | None, scope: Scope) -> Val:
        """What is known about expression ``node`` evaluated in ``scope``."""
        if node is None:
            return NOTHING
        key = id(node)
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        if self.depth >= _MAX_DEPTH:
            self.too_deep = True
            return NOTHING
        self.depth += 1
        try:
            value = self._ev(node, scope)
        finally:
            self.depth -= 1
        self.memo[key] = value
        return value

    def _ev(self, node: ast.AST, scope: Scope) -> Val:
        kind = type(node)
        try:
            method = _DISPATCH[kind]
        except KeyError:  # first node of this type: look its handler up once
            method = _DISPATCH[kind] = getattr(Evaluator, "_ev_" + kind.__name__, None)
        if method is not None:
            result: Val = method(self, node, scope)
            return result
        if isinstance(node, ast.expr):
            return Val(labels=union(self.ev(c, scope) for c in ast.iter_child_nodes(node)))
        return NOTHING

    def _ev_Constant(self, node: ast.Constant, scope: Scope) -> Val:
        value = node.value
        if isinstance(value, str):
            blob = len(value) >= 200 and is_encoded_blob(value)
            return Val(value, True, frozenset({BLOB}) if blob else frozenset())
        if isinstance(value, bytes):
            blob = len(value) >= 200
            return Val(labels=frozenset({BYTES, BLOB} if blob else {BYTES}))
        return NOTHING

    def _ev_Compare(self, node: ast.Compare, scope: Scope) -> Val:
        # `"X" in snapshot()`: a yes or no, not what another module's function returned
        labels = union(self.ev(c, scope) for c in (node.left, *node.comparators))
        return Val(labels=without_results(labels))

    def _ev_Name(self, node: ast.Name, scope: Scope) -> Val:
        return self.lookup(node.id, scope)

    def _ev_Starred(self, node: ast.Starred, scope: Scope) -> Val:
        return self.ev(node.value, scope)

    def _ev_Await(self, node: ast.Await, scope: Scope) -> Val:
        return self.ev(node.value, scope)

    def _ev_NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> Val:
        return self.ev(node.value, scope)

    def _ev_Lambda(self, node: ast.Lambda, scope: Scope) -> Val:
        return Val(func=self.m.lambdas.get(id(node)))

    def _ev_JoinedStr(self, node: ast.JoinedStr, scope: Scope) -> Val:
        parts = [
            self.ev(v.value if isinstance(v, ast.FormattedValue) else v, scope) for v in node.values
        ]
        text, exact = join_texts(parts)
        return Val(text, exact, union(parts))

    def _ev_BinOp(self, node: ast.BinOp, scope: Scope) -> Val:
        left, right = self.ev(node.left, scope), self.ev(node.right, scope)
        labels = left.labels | right.labels
        if isinstance(node.op, ast.Add):
            if left.items is not None and right.items is not None:
                return Val(items=left.items + right.items, labels=labels)
            if left.text is None and right.text is None:
                return Val(labels=labels)
            exact = left.exact and right.exact
            return Val(
                left.partial() + right.partial(), exact, labels | {ASSEMBLED} if exact else labels
            )
        if isinstance(node.op, ast.Div) and (left.text is not None or labels & {PKGDIR, TMP}):
            return Val(left.partial() + "/" + right.partial(), False, labels)
        if isinstance(node.op, ast.Mod) and left.text is not None:
            values = right.items if right.items is not None else (right,)
            return Val(percent_format(left.text, values), False, labels)
        return Val(labels=labels)

    def _ev_BoolOp(self, node: ast.BoolOp, scope: Scope) -> Val:
        vals = [self.ev(v, scope) for v in node.values]
        texts = [v.text for v in vals if v.text is not None]
        # `which("bash") or "/bin/sh"`: the first known text is the value in the usual case
        first = texts[0] if len(texts) == 1 or (isinstance(node.op, ast.Or) and texts) else None
        return Val(first, False, union(vals))

    def _ev_IfExp(self, node: ast.IfExp, scope: Scope) -> Val:
        body, orelse = self.ev(node.body, scope), self.ev(node.orelse, scope)
        labels = body.labels | orelse.labels
        texts = [t for t in (body.text, orelse.text) if t and t.isprintable() and " " not in t]
        if body.exact and orelse.exact and len(texts) == 2:
            # `"open" if mac else "xdg-open"`: either word, as a loop's alternatives are
            text = texts[0] if texts[0] == texts[1] else either(texts)
            return Val(text, False, labels)
        return Val(labels=labels)

    def _ev_List(self, node: ast.List | ast.Tuple | ast.Set, scope: Scope) -> Val:
        items: tuple[Val, ...] = ()
        for e in node.elts:
            value = self.ev(e, scope)
            if isinstance(e, ast.Starred) and value.items is not None and len(value.items) <= 32:
                items += value.items  # [cli, *args]: the spread list's items in place
            else:
                items += (value,)
        labels = union(items)
        if ENVIRON in labels:
            labels = labels | {ENV_DUMP}
        return Val(items=items, labels=labels)

    _ev_Tuple = _ev_List
    _ev_Set = _ev_List

    def _ev_Dict(self, node: ast.Dict, scope: Scope) -> Val:
        labels: set[str] = set()
        for k, v in zip(node.keys, node.values, strict=True):
            value = self.ev(v, scope)
            labels |= value.labels
            if k is None and ENVIRON in value.labels:
                labels.add(ENV_DUMP)
            elif k is not None:
                labels |= self.ev(k, scope).labels
        return Val(labels=frozenset(labels))

    def _ev_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, scope: Scope
    ) -> Val:
        labels: set[str] = set()
        selected = True  # every loop over the environment keeps one prefix's variables
        for gen in node.generators:
            it = self.ev(gen.iter, scope)
            found = it.labels | (union(it.items) if it.items else frozenset())
            if found & {ENVIRON, ENV_DUMP} and not _selects_prefix(self, gen, scope):
                selected = False
            labels |= found
        if ENVIRON in labels:
            labels.add(ENV_DUMP)
        parts = [p for p in (getattr(node, f, None) for f in ("elt", "key", "value")) if p]
        for sub in parts:
            labels |= self.ev(sub, scope).labels
        if selected and labels & {ENVIRON, ENV_DUMP} and not self._env_beside(node, parts, scope):
            # ``{k: v for k, v in os.environ.items() if k.startswith("SENTRY_")}``: the
            # connector's own settings, like naming each variable, not the whole environment.
            labels -= {ENVIRON, ENV_DUMP}
        return Val(labels=frozenset(labels))

    def _env_beside(self, node: ast.AST, parts: list[ast.expr], scope: Scope) -> bool:
        """Whether ``parts`` reach the environment other than through the loop's variables."""
        targets = {
            n.id
            for gen in getattr(node, "generators", ())
            for n in ast.walk(gen.target)
            if isinstance(n, ast.Name)
        }
        for part in parts:
            for sub in ast.walk(part):
                if isinstance(sub, ast.Attribute) and sub.attr == "environ":
                    return True
                if (
                    isinstance(sub, ast.Name)
                    and sub.id not in targets
                    and self.ev(sub, scope).labels & {ENVIRON, ENV_DUMP}
                ):
                    return True
        return False

    _ev_ListComp = _ev_comprehension
    _ev_SetComp = _ev_comprehension
    _ev_GeneratorExp = _ev_comprehension
    _ev_DictComp = _ev_comprehension

    def _ev_Attribute(self, node: ast.Attribute, scope: Scope) -> Val:
        value = node.value
        if isinstance(value, ast.Name) and value.id in ("self", "cls") and scope.cls is not None:
            for key in ("self." + node.attr, node.attr):
                if key in scope.cls.bindings:
                    return self._bound(key, scope.cls)
            return NOTHING
        base = self.ev(value, scope)
        if base.qual is not None:
            qual = f"{base.qual}.{node.attr}"
            if qual in _ENVIRON_QUALS or (
                node.attr in ("environ", "environb") and base.qual in ("posix", "nt")
            ):
                return Val(qual="os.environ", labels=frozenset({ENVIRON}))
            if node.attr == "__dict__":
                return Val(qual=base.qual, labels=base.labels)
            return Val(qual=qual, labels=base.labels)
        if node.attr in ("f_builtins", "f_globals", "f_locals"):  # sys._getframe().f_builtins
            return Val(qual="__namespace__")
        if node.attr in ("parents", "anchor", "root", "drive"):
            # Path(__file__).parents[6], .anchor: above the connector's folder, anywhere
            return Val(None, False, base.labels - {PKGDIR})
        if node.attr in ("parent", "stem", "name"):
            return Val(base.text, False, base.labels)
        return Val(labels=base.labels)

    def _ev_Subscript(self, node: ast.Subscript, scope: Scope) -> Val:
        if isinstance(node.value, ast.Dict | ast.Name) and not isinstance(node.slice, ast.Slice):
            found = self._looked_up(node, scope)
            if found is not None:
                return found
        base = self.ev(node.value, scope)
        sl = node.slice
        if base.qual == "site-packages":  # sysconfig.get_paths()["purelib"]
            return Val(base.text, False, base.labels)
        if isinstance(sl, ast.Slice):
            step = sl.step
            reverse = (
                isinstance(step, ast.UnaryOp)
                and isinstance(step.op, ast.USub)
                and int_const(step.operand) == 1
            )
            if reverse and base.exact and base.text is not None and sl.lower is sl.upper is None:
                return Val(base.text[::-1], True, base.labels | {ASSEMBLED, DECODED})
            lower = int_const(sl.lower) if sl.lower is not None else 0
            upper = int_const(sl.upper) if sl.upper is not None else len(base.text or "")
            if base.exact and base.text is not None and step is None and None not in (lower, upper):
                # "x.argentos"[1:]: a literal cut at literal bounds
                return Val(base.text[lower:upper], True, base.labels)
            return Val(labels=base.labels)
        key = self.ev(sl, scope)
        if base.qual == "os.environ":
            return self._env_var(key)
        if base.qual == "sys.modules" and key.exact and key.text:  # sys.modules["os"]
            return Val(qual=key.text, labels=key.labels | {INDIRECT})
        if base.qual == "__namespace__" and key.exact and key.text:
            qual = "builtins" if key.text == "__builtins__" else "builtins." + key.text
            return Val(qual=qual, labels=key.labels | {INDIRECT})
        if base.qual is not None and key.exact and key.text:
            extra = {INDIRECT} if key.text in api.DANGEROUS_ATTRS else set()
            return Val(qual=f"{base.qual}.{key.text}", labels=key.labels | extra)
        index = int_const(sl)
        if (
            base.items is not None
            and index is not None
            and -len(base.items) <= index < len(base.items)
        ):
            return base.items[index]
        if key.exact:
            return Val(labels=without_results(base.labels) | key.labels)
        return Val(labels=base.labels | key.labels)

    def _looked_up(
        self, node: ast.Subscript, scope: Scope, default: ast.expr | None = None
    ) -> Val | None:
        """``{"zsh": ".zshrc", "bash": ".bashrc"}[shell]`` (or a name bound to such a table,
        or ``table.get(shell, default)``): the value of a literal key, else every string
        value (and the default) as alternatives."""
        table, where = node.value, scope
        if isinstance(table, ast.Name):
            bound = scope.bindings_of(table.id)
            if len(bound) != 1 or bound[0][0] != "value":
                return None
            table, where = bound[0][1], bound[0][2]  # type: ignore[assignment]
        if not isinstance(table, ast.Dict) or len(table.keys) > 64 or id(table) in self.tables:
            return None  # T = {"a": T.get("a")}: a table that names itself is not folded
        self.tables.add(id(table))
        try:
            return self._looked_up_in(table, where, node, scope, default)
        finally:
            self.tables.discard(id(table))

    def _looked_up_in(
        self,
        table: ast.Dict,
        where: Scope,
        node: ast.Subscript,
        scope: Scope,
        default: ast.expr | None,
    ) -> Val | None:
        key = self.ev(node.slice, scope)
        texts: list[str] = []
        labels = set(key.labels)
        for k, v in zip(table.keys, table.values, strict=True):
            value = self.ev(v, where)
            if k is not None and key.exact and self.ev(k, where).text == key.text:
                return value
            labels |= value.labels
            if value.text is not None:
                texts.append(value.text)
        if default is not None:
            fallback = self.ev(default, scope)
            labels |= fallback.labels
            if fallback.text is not None:
                texts.append(fallback.text)
        return Val("|".join(texts), False, frozenset(labels)) if texts else None

    @staticmethod
    def _env_var(key: Val, default: Val = NOTHING) -> Val:
        if key.exact and key.text in _HOME_VARS:
            return Val("~", False)
        names = key.text.split("|") if key.text and (key.exact or "|" in key.text) else []
        # a loop over names ("GITHUB_TOKEN|GH_TOKEN") reads each of them
        named = frozenset(
            NAMED_ENV + n for n in names[:8] if n.isidentifier() and _SECRET_NAME.search(n)
        ) | frozenset(  # _require_env(name): the caller's argument names the variable
            _NAMED_BY + label for label in key.labels if key.text is None and is_param(label)
        )
        if default.text is not None:  # os.environ.get("XDG_CONFIG_HOME", "~/.config")
            return Val(default.text, False, default.labels | named)
        return Val(labels=named) if named else NOTHING

    # -- calls -----------------------------------------------------------------------
    def args_of(self, call: ast.Call, scope: Scope) -> tuple[list[Val], dict[str | None, Val]]:
        """The values of a call's positional and keyword arguments.

        ``*parts`` of a literal tuple or list is its items (``joinpath(*(".ssh", "id_rsa"))``).
        """
        args: list[Val] = []
        for a in call.args:
            value = self.ev(a, scope)
            if isinstance(a, ast.Starred) and value.items is not None and len(value.items) <= 32:
                args.extend(value.items)
            else:
                args.append(value)
        kws = {k.arg: self.ev(k.value, scope) for k in call.keywords}
        return args, kws

    def _ev_Call(self, node: ast.Call, scope: Scope) -> Val:
        fv = self.ev(node.func, scope)
        qual = fv.qual
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if qual == "builtins.chr":
            code = int_const(node.args[0]) if node.args else None
            if code is not None and 0 <= code < 0x110000:
                return Val(chr(code), True, frozenset({ASSEMBLED, DECODED}))
            return Val(labels=frozenset({ASSEMBLED, DECODED}))
        if method == "join" and node.args:
            joined = self._join(node, scope)
            if joined is not None:
                return joined
        if (
            method == "get"
            and node.args
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Dict | ast.Name)
        ):  # _RC.get(shell, ".profile") on a literal table
            lookup = ast.Subscript(value=node.func.value, slice=node.args[0], ctx=ast.Load())
            found = self._looked_up(lookup, scope, node.args[1] if len(node.args) > 1 else None)
            if found is not None:
                return found
        args, kws = self.args_of(node, scope)
        labels = union(args) | union(kws.values())
        if isinstance(fv.func, Scope):
            return self._local_call(fv.func, node, args, kws)
        if qual is not None:
            known = self._known_call(qual, args, kws, labels)
            if known is not None:
                return known
        if method is not None:
            receiver = (
                self.ev(node.func.value, scope) if isinstance(node.func, ast.Attribute) else NOTHING
            )
            found = self._method_call(method, receiver, args, kws, labels)
            if found is not None:
                return found
            taken = method in ("get", "pop", "setdefault") and bool(args) and args[0].exact
            labels = labels | (without_results(receiver.labels) if taken else receiver.labels)
        if qual in _LABEL_ERASING:
            return NOTHING
        if qual in _SIGNERS:
            kept = (lb for lb in labels if lb not in (PLATFORM, CREDENTIAL))
            return Val(labels=frozenset(lb for lb in kept if not lb.startswith(NAMED_ENV)))
        if qual is not None and self.m.package_imports and _own_module(qual, self.m.own_roots):
            labels = labels | {RETURNED + qual}
        if labels & {ENVIRON, ENV_DUMP}:
            passed = union(args) | union(kws.values())
            if (
                passed & {ENVIRON, ENV_DUMP}
                and qual not in api.HARMLESS_CALLS
                and qual not in api.NETWORK_ACTIVE
                and not only_env_keyword(node, kws)
            ):
                self.escapes.append(node.lineno)
            labels = labels | {ENV_DUMP}
        return Val(labels=labels)

    def _join(self, node: ast.Call, scope: Scope) -> Val | None:
        assert isinstance(node.func, ast.Attribute)
        sep = self.ev(node.func.value, scope)
        if sep.qual in ("os.sep", "os.path.sep", "posixpath.sep"):
            sep = Val("/", True)
        if not sep.exact or sep.text is None:
            return None
        parts = self._fold_iterable(node.args[0], scope)
        if parts is None:
            return None
        text, exact = join_texts(parts, sep.text)
        return Val(text, exact, union(parts) | ({ASSEMBLED} if len(parts) > 1 else set()))

    def _fold_iterable(self, node: ast.expr, scope: Scope) -> list[Val] | None:
        if isinstance(node, ast.List | ast.Tuple):
            return [self.ev(e, scope) for e in node.elts]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "map" and len(node.args) == 2 and isinstance(node.args[0], ast.Name):
                codes = self._int_list(node.args[1], scope)
                if node.args[0].id == "chr" and codes is not None:
                    return [Val(safe_chr(c), True, frozenset({ASSEMBLED, DECODED})) for c in codes]
            if node.func.id == "reversed" and node.args:
                inner = self.ev(node.args[0], scope)
                if inner.exact and inner.text is not None:
                    return [Val(inner.text[::-1], True, frozenset({ASSEMBLED, DECODED}))]
        if isinstance(node, ast.GeneratorExp | ast.ListComp) and len(node.generators) == 1:
            return self._fold_chr_comprehension(node, scope)
        value = self.ev(node, scope)
        return list(value.items) if value.items is not None else None

    def _int_list(self, node: ast.expr, scope: Scope) -> list[int] | None:
        if isinstance(node, ast.Name):
            bindings = scope.bindings.get(node.id) or self.m.module.bindings.get(node.id) or []
            bound = bindings[0][1] if len(bindings) == 1 and bindings[0][0] == "value" else None
            if isinstance(bound, ast.expr):
                node = bound
        if isinstance(node, ast.List | ast.Tuple) and len(node.elts) <= _MAX_FOLD_ITEMS:
            codes = [int_const(e) for e in node.elts]
            if all(c is not None for c in codes):
                return [c for c in codes if c is not None]
        return None

    def _fold_chr_comprehension(
        self, node: ast.GeneratorExp | ast.ListComp, scope: Scope
    ) -> list[Val] | None:
        gen = node.generators[0]
        elt = node.elt
        if not (
            isinstance(gen.target, ast.Name)
            and isinstance(elt, ast.Call)
            and isinstance(elt.func, ast.Name)
            and elt.func.id == "chr"
            and elt.args
        ):
            return None
        codes = self._int_list(gen.iter, scope)
        if codes is None:
            return [Val(labels=frozenset({ASSEMBLED, DECODED}))]
        arg = elt.args[0]
        var = gen.target.id
        out: list[Val] = []
        for c in codes:
            value = apply_int_op(arg, var, c)
            if value is None:
                return [Val(labels=frozenset({ASSEMBLED, DECODED}))]
            out.append(Val(safe_chr(value), True, frozenset({ASSEMBLED, DECODED})))
        return out

    def _local_call(
        self, func: Scope, node: ast.Call, args: list[Val], kws: dict[str | None, Val]
    ) -> Val:
        ret = self.returns_of(func)
        bound = bind_arguments(func, isinstance(node.func, ast.Attribute), args, kws)
        labels: set[str] = set()
        prefix = f"p{func.sid}:"
        for label in ret.labels:
            if label.startswith(prefix):
                arg = bound.get(label)
                if arg is not None:
                    labels |= arg.labels
            elif label.startswith(_NAMED_BY + prefix):
                arg = bound.get(label[len(_NAMED_BY) :])
                if arg is not None:
                    labels |= self._env_var(arg).labels  # the variable this call names
            else:
                labels.add(label)
        items = ret.items
        if items is not None and any(lb.startswith(prefix) for lb in union(items)):
            items = None  # items made of the arguments: not folded for this call
        # a helper returning a literal list of paths: a loop over its result sees each one
        return Val(ret.text, ret.exact, frozenset(labels), ret.qual, items)

    def returns_of(self, func: Scope) -> Val:
        """What a local function returns (union over its ``return`` statements)."""
        key = -func.sid
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        if func.sid in self.returning:
            return NOTHING
        self.returning.add(func.sid)
        try:
            vals = [self.ev(r, func) for r in func.returns[:_MAX_BINDINGS]]
        finally:
            self.returning.discard(func.sid)
        texts = {v.text for v in vals}
        result = Val(
            texts.pop() if len(texts) == 1 else None,
            len(vals) == 1 and vals[0].exact,
            union(vals),
            vals[0].qual if len(vals) == 1 else None,
            vals[0].items if len(vals) == 1 else None,
        )
        self.memo[key] = result
        return result

    def _known_call(
        self, qual: str, args: list[Val], kws: dict[str | None, Val], labels: frozenset[str]
    ) -> Val | None:
        first = args[0] if args else NOTHING
        if qual in api.DECODERS:
            text = fold_decode(qual, args)
            extra = {DECODED, CODE} if qual.startswith("marshal.") else {DECODED}
            return Val(text, text is not None, labels | extra)
        if qual == "builtins.getattr" and len(args) >= 2:
            obj, name = args[0], args[1]
            if obj.qual is not None and name.exact and name.text:
                extra = {INDIRECT} if name.text in api.DANGEROUS_ATTRS else set()
                qual = f"{obj.qual}.{name.text}"
                if qual in _ENVIRON_QUALS:
                    extra.add(ENVIRON)
                    qual = "os.environ"
                return Val(qual=qual, labels=name.labels | extra)
            return Val(labels=labels)
        if qual in api.IMPORT_CALLS:
            name = args[0] if args else kws.get("name", NOTHING)
            return Val(qual=name.text if name.exact else None, labels=name.labels)
        if qual in ("builtins.globals", "builtins.locals") or (
            qual == "builtins.vars" and not args
        ):
            return Val(qual="__namespace__")
        if qual == "builtins.vars":
            return Val(qual=first.qual, labels=first.labels)
        if qual == "builtins.compile":
            return Val(labels=labels | {CODE})
        if qual in ("os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"):
            name = first if args else kws.get("key", NOTHING)  # os.getenv(key="X")
            return self._env_var(name, args[1] if len(args) > 1 else kws.get("default", NOTHING))
        if qual in ("os.environ.copy", "os.environ.items", "os.environ.keys", "os.environ.values"):
            return Val(labels=frozenset({ENV_DUMP}))
        if qual in _PATH_CALLS:
            text, _ = join_texts(args, "/")
            return Val(text if args else None, False, labels)
        if qual in ("pathlib.Path.home", "os.path.expanduser.home"):
            return Val("~", False)
        if qual.startswith("tempfile."):
            return Val("/tmp", False, frozenset({TMP}))  # noqa: S108 - a label, not a file
        if qual in ("builtins.open", "io.open", "codecs.open"):
            mode = args[1] if len(args) > 1 else kws.get("mode", NOTHING)
            return opened(first, mode)
        if qual in api.FILE_READ_CALLS:
            return read_result(first)
        if qual in api.NETWORK_SOURCES:
            if first.text is not None and platform_target(first.text):
                return Val(labels=frozenset({NETWORK, PLATFORM}))  # a metadata credential
            return Val(labels=frozenset({NETWORK}))
        if qual in api.COMMAND_CALLS:
            if first.items is not None:
                words = [v.text if v.exact else None for v in first.items]
            else:
                words = list((first.text or "").split()) if first.exact else []
            if len(words) == 1 and (words[0] or "").strip() in _ENV_PRINTERS:  # not `env X=1 git`
                return Val(labels=frozenset({ENV_DUMP}))  # the output of `env`
            return Val(
                labels=frozenset({CREDENTIAL})
                if credential_target(first.partial())
                else frozenset()
            )
        if qual in _PACKAGE_RESOURCES:  # importlib.resources.files(__package__)
            return Val(None, False, frozenset({PKGDIR}))
        if qual in ("pkgutil.get_data", "importlib.resources.read_binary",
                    "importlib.resources.read_text"):  # fmt: skip
            return Val(labels=frozenset({FILE, PKGFILE}))
        if qual in ("ctypes.CDLL", "ctypes.PyDLL", "ctypes.cdll.LoadLibrary", "ctypes.CDLL()"):
            return Val(qual="ctypes.CDLL()", labels=labels)  # a native library: its .system
        if qual in _SITE_PACKAGES:  # where .pth files run at every start of Python
            return Val("/site-packages", False, labels, "site-packages")
        if qual == "string.Template":  # its template, for .substitute()
            return Val(first.text, False, labels)
        if qual == "shutil.which":  # the program it finds, by name
            return Val(first.text, False, labels)
        if qual in ("builtins.str", "builtins.repr", "builtins.format"):
            return Val(first.text, first.exact, labels)
        return None

    def _method_call(
        self,
        method: str,
        receiver: Val,
        args: list[Val],
        kws: dict[str | None, Val],
        labels: frozenset[str],
    ) -> Val | None:
        first = args[0] if args else NOTHING
        if ENVIRON in receiver.labels:
            if method in ("get", "setdefault", "pop"):
                return self._env_var(first, args[1] if len(args) > 1 else NOTHING)
            return Val(labels=frozenset({ENV_DUMP}))
        if method in ("get_credentials", "get_frozen_credentials"):
            # boto3/botocore: AWS's own credentials, sent to AWS when a request is signed
            return Val(labels=frozenset({PLATFORM}))
        if method in ("decode", "encode"):
            extra = {DECODED} if method == "decode" and is_codec_name(first.text) else set()
            return Val(receiver.text, receiver.exact, receiver.labels | labels | extra)
        if receiver.exact and receiver.text is not None:
            if method in _EXACT_STR_METHODS and not args:
                return Val(getattr(receiver.text, method)(), True, receiver.labels)
            if method == "replace" and len(args) == 2 and args[0].exact and args[1].exact:
                return Val(
                    receiver.text.replace(args[0].partial(), args[1].partial()),
                    True,
                    receiver.labels | {ASSEMBLED},
                )
            if method == "format":
                return Val(format_fields(receiver.text, args), False, receiver.labels | labels)
        if method in ("substitute", "safe_substitute") and receiver.text is not None:
            # string.Template("$home/Library/Launch${kind}s").substitute(home=..., kind=...)
            return Val(substitute(receiver.text, kws), False, receiver.labels | labels)
        if method in ("with_name", "with_suffix") and args:
            return renamed(method, receiver, args[0], labels)
        if method in _PATH_METHODS:
            text, _ = (
                join_texts([receiver, *args], "/")
                if method == "joinpath"
                else (receiver.text, False)
            )
            return Val(text, False, receiver.labels | labels)
        if method in ("read_text", "read_bytes", "glob", "rglob", "iterdir"):
            return read_result(receiver)
        if method == "open" and (receiver.text is not None or receiver.labels & {PKGDIR, TMP}):
            return opened(receiver, first if args else kws.get("mode", NOTHING))
        return None


_CASE_METHODS = frozenset({"lower", "upper", "casefold"})


def _selects_prefix(ev: Evaluator, gen: ast.comprehension, scope: Scope) -> bool:
    """Whether a loop over the environment keeps only names with a literal prefix.

    ``if k.startswith("SENTRY_")`` (or a tuple of prefixes, three characters or more)
    on the variable's *name*: a test on values (``v.startswith("sk_live")``) or on
    words inside names (``"TOKEN" in k``) picks secrets, and keeps the whole dump.
    """
    target, source = gen.target, gen.iter
    if (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Attribute)
        and source.func.attr not in ("items", "keys")
    ):
        return False  # .values(): a test on values picks secrets by their shape
    key = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
    if not isinstance(key, ast.Name):
        return False
    for test in gen.ifs:
        terms = (
            test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
        )
        for term in terms:
            if not (
                isinstance(term, ast.Call)
                and isinstance(term.func, ast.Attribute)
                and term.func.attr == "startswith"
                and len(term.args) == 1
                and not term.keywords
            ):
                continue
            receiver = term.func.value
            if (
                isinstance(receiver, ast.Call)
                and isinstance(receiver.func, ast.Attribute)
                and receiver.func.attr in _CASE_METHODS
                and not receiver.args
            ):
                receiver = receiver.func.value
            if not (isinstance(receiver, ast.Name) and receiver.id == key.id):
                continue
            prefix = ev.ev(term.args[0], scope)
            options = prefix.items if prefix.items is not None else (prefix,)
            if 0 < len(options) <= 3 and all(
                o.exact
                and len(o.text or "") >= 3
                and not (o.text or "").upper().startswith(_CREDENTIAL_PREFIXES)
                for o in options
            ):  # ("AWS", "GITHUB_", "OPENAI"): other services' secrets, collected
                return True
    return False


# Namespaces of other services' credentials: keeping them is collecting secrets.
_CREDENTIAL_PREFIXES = (
    "AWS", "AZURE", "GOOGLE", "GCP", "GCLOUD", "OPENAI", "ANTHROPIC", "GITHUB", "GH_",
    "GITLAB", "NPM", "PYPI", "TWINE", "DOCKER", "SSH", "GPG", "VAULT", "KUBE", "HF_",
    "HUGGING", "SECRET", "TOKEN", "PASS", "API_KEY", "PRIVATE",
)  # fmt: skip
