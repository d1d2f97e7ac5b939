"""A per-user store of compiled conversion tables, so a new process maps them instead of
building them (0.2–0.7 s of dictionary parsing and numpy work for the larger configs).

One file per converter, named by a hash of everything the tables are made from: the
table format, normtext's version, the code that compiles them, the config's dictionary
tree and the bytes of every dictionary file in it. A changed dictionary is a new name,
never a stale answer.

The file is a small JSON header followed by the raw arrays, each at an aligned offset,
read with ``mmap``: opening costs a few system calls, and only the pages a text touches
are ever read. Arrays over all code points are mostly zeros; those runs are left as holes
in the file, so they cost no disk where the filesystem supports it.

The store is only ever an optimisation. Files are written whole to a temporary name,
flushed and renamed over the final one, so a reader sees a complete file or none, and
concurrent writers of the same tables race harmlessly. Anything that goes wrong (no
home, a read-only cache, a truncated or foreign file) makes ``load`` return None or
``save`` do nothing, and the caller builds the tables as it would without a store.
"""

from __future__ import annotations

import json
import math
import mmap
import os
import struct
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np

    from .config import ConfigSpec
else:
    from ..lazy_numpy import np

try:  # what hashlib.blake2b is, without hashlib's 5 ms of loading OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

#: The bytes of a dictionary by the name a spec gives it (what the store's key hashes).
Reader = Callable[[str], bytes]

#: Bumped whenever what is stored (array names, meanings, dtypes) changes.
FORMAT_VERSION = 2

MAGIC = b"NTTABLE\x01"
_ALIGN = 64
_HOLE_BLOCK = 1 << 16
#: The stored hashes of keys are rolling: ``h = h * HASH_MULTIPLIER + code point`` (mod 2**64)
#: over the key's characters, from 0.
HASH_MULTIPLIER = 0x9E3779B97F4A7C15

#: The dtypes stored, each with the format a memoryview of its items takes.
ITEM_FORMATS: dict[str, Literal["B", "i", "I", "q", "Q"]] = {
    "uint8": "B",
    "int32": "i",
    "uint32": "I",
    "int64": "q",
    "uint64": "Q",
}


def cache_dir() -> Path:
    """``$NORMTEXT_CACHE_DIR``, else ``$XDG_CACHE_HOME/normtext``, else ``~/.cache/normtext``."""
    own = os.environ.get("NORMTEXT_CACHE_DIR")
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "normtext"
    local = os.environ.get("LOCALAPPDATA") if os.name == "nt" else None
    if local:
        return Path(local) / "normtext"
    return Path.home() / ".cache" / "normtext"


def table_key(parts: Iterable[str | bytes]) -> str:
    """A hex name for tables made from ``parts`` (each part length-prefixed: no ambiguity)."""
    from .. import __version__

    digest = blake2b(digest_size=20)
    for part in (f"format {FORMAT_VERSION}", f"normtext {__version__}", *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(struct.pack("<Q", len(data)))
        digest.update(data)
    return digest.hexdigest()


def table_path(label: str, key: str) -> Path:
    safe = "".join(c if c.isalnum() else "_" for c in label)[:40]
    return cache_dir() / "tables" / f"{safe}-{key}.npt"


def config_path(config: ConfigSpec, read: Reader) -> Path:
    """Where the tables of ``config`` are stored (OSError if a dictionary is unreadable,
    RuntimeError if there is no home for a cache)."""
    name = config.name
    # a readable start for the file name: the config's name, or its file's stem
    label = Path(name).stem if ("/" in name or "\\" in name) else name
    return table_path(label, config_key(config, read))


def config_key(config: ConfigSpec, read: Reader) -> str:
    shape = repr((config.normalization, config.segmentation, config.conversion_chain))
    parts: list[str | bytes] = [shape, _compiler_source()]
    for name in sorted(config.files()):
        parts += [name, read(name)]
    return table_key(parts)


@cache
def _compiler_source() -> bytes:
    """The code that makes the tables (``compiled.py``, read beside this module, not
    imported: that would import numpy): a development checkout that changes how they are
    compiled, under the same version number, must not be served the old ones."""
    try:
        return Path(__file__).with_name("compiled.py").read_bytes()
    except OSError:  # no source beside the bytecode: the version must do
        return b""


#: A stored array: its dtype's name, its shape, and its items as one flat read-only view.
Stored = tuple[str, list[int], "memoryview[int]"]


def load(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """The header and read-only arrays of a stored file, or None if it is missing or damaged."""
    found = load_views(path)
    if found is None:
        return None
    meta, views = found
    arrays = {
        name: np.frombuffer(view, dtype=dtype).reshape(shape)
        for name, (dtype, shape, view) in views.items()
    }
    return meta, arrays


def load_views(path: Path) -> tuple[dict[str, Any], dict[str, Stored]] | None:
    """``load`` without numpy: each array as a memoryview of its items, which a short
    text's conversion indexes directly (``plain.py``); None if missing or damaged."""
    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty
        return None
    try:
        if mapped[: len(MAGIC)] != MAGIC:
            return None
        (header_len,) = struct.unpack_from("<Q", mapped, len(MAGIC))
        start = len(MAGIC) + 8
        header = json.loads(mapped[start : start + header_len].decode("utf-8"))
        if header.get("format") != FORMAT_VERSION or header.get("size") != len(mapped):
            return None
        views: dict[str, Stored] = {}
        whole = memoryview(mapped)
        for name, (dtype, shape, offset) in header["arrays"].items():
            if dtype not in ITEM_FORMATS or any(not isinstance(n, int) or n < 0 for n in shape):
                return None
            size = math.prod(shape) * struct.calcsize(ITEM_FORMATS[dtype])
            if not 0 <= offset <= len(mapped) - size:
                return None
            views[name] = (dtype, shape, whole[offset : offset + size].cast(ITEM_FORMATS[dtype]))
        return header["meta"], views
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError):
        return None


def save(path: Path, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> bool:
    """Write atomically (temporary file, flush, rename); False, silently, if it cannot."""
    layout: dict[str, tuple[str, list[int], int]] = {}
    blobs = [np.ascontiguousarray(a) for a in arrays.values()]
    offset = 0
    for name, blob in zip(arrays, blobs):
        layout[name] = (blob.dtype.name, list(blob.shape), offset)
        offset += -(-blob.nbytes // _ALIGN) * _ALIGN
    # Offsets above are relative to the data start, known once the header's size is.
    data_start = 0
    while True:  # the header holds offsets that change its own length: settle it
        header = _header(meta, layout, data_start, data_start + offset)
        needed = -(-(len(MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
        if needed <= data_start:
            break
        data_start = needed
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npt")
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + struct.pack("<Q", len(header)) + header)
            for name, blob in zip(arrays, blobs):
                out.seek(data_start + layout[name][2])
                _write_with_holes(out, blob.reshape(-1).view(np.uint8).data)
            out.truncate(data_start + offset)
            out.flush()
            os.fsync(out.fileno())  # renamed only once its bytes are on disk
        os.replace(tmp, path)
        return True
    except Exception:  # noqa: BLE001 - a store that cannot be written is only slower
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def _header(
    meta: Mapping[str, Any], layout: Mapping[str, tuple[str, list[int], int]], start: int, size: int
) -> bytes:
    arrays = {name: (dtype, shape, start + off) for name, (dtype, shape, off) in layout.items()}
    record = {"format": FORMAT_VERSION, "size": size, "meta": meta, "arrays": arrays}
    return json.dumps(record, separators=(",", ":")).encode("utf-8")


def _write_with_holes(out: Any, data: memoryview) -> None:
    """Write ``data`` at the current position, skipping blocks of zeros (left as holes)."""
    base = out.tell()
    for start in range(0, len(data), _HOLE_BLOCK):
        block = data[start : start + _HOLE_BLOCK]
        if block.tobytes().count(0) == len(block):
            continue
        out.seek(base + start)
        out.write(block)
