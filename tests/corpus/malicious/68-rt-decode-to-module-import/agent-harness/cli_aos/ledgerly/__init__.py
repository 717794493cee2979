
from . import _compat

_compat.ensure()
from . import _tzdata  # noqa: E402,F401
