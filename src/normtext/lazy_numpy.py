"""numpy, imported on first use, and when a text is worth it.

Importing numpy costs more (0.1-0.2 s) than a short text's whole first call may take
(issue 12), so short texts take pure-Python paths that never touch it. Modules whose
long-text paths use arrays import ``np`` from here (``TYPE_CHECKING`` gives the checker
the real module): only the first attribute looked up imports numpy, and each attribute
is then kept on this object, so later look-ups cost what a module's do.

``pure_python_for`` says which path a text takes. Once numpy is loaded its import is paid
for, and the pure-Python paths are only worth it below the length where they stop being
the faster (``warm_limit``, measured per path). Before, they are worth it up to
``COLD_LIMIT`` characters (where the stages switch to numpy anyway), while the extra time
they cost (about ``COLD_BUDGET`` characters' worth adds up to numpy's import) has not
yet paid for importing it: a process that normalises many texts soon imports numpy.
"""

from __future__ import annotations

import sys
import types
from functools import cache
from typing import Any


def _first_use(name: str) -> Any:
    import numpy

    value = getattr(numpy, name)
    setattr(np, name, value)
    return value


# A plain module whose ``__getattr__`` (PEP 562) is asked only for a name it lacks: a name
# kept costs one dictionary look-up, as numpy's own would (a class's ``__getattr__`` would
# slow every look-up).
np: Any = types.ModuleType("numpy")
np.__getattr__ = _first_use


@cache
def code_array(chars: str) -> Any:
    """The code points of ``chars`` as an array, made once (for ``np.isin``, which would
    convert a tuple on every call)."""
    return np.array([ord(c) for c in chars], dtype=np.uint32)


#: Characters: the longest text that takes a pure-Python path while numpy is not loaded.
COLD_LIMIT = 4096
#: Characters taken by pure-Python paths beyond their ``warm_limit`` before numpy is
#: worth importing: their extra cost (a few µs a character on the 2-core machine) then
#: adds up to its import.
COLD_BUDGET = 50_000

_spent = 0


def pure_python_for(length: int, warm_limit: int) -> bool:
    """Whether a text of ``length`` characters should take a pure-Python path whose
    crossing with its numpy path is at ``warm_limit`` characters."""
    global _spent
    if length <= warm_limit:
        return True
    if length > COLD_LIMIT or "numpy" in sys.modules or _spent > COLD_BUDGET:
        return False
    _spent += length
    return True
