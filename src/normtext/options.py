"""Options: what a normalisation run does, as one frozen, picklable value."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from typing_extensions import Unpack

from .errors import OptionsError

#: Stage names in the order the pipeline runs them. They are stable: the CLI uses them
#: as flags (``--no-gloss``) and ``explain`` reports them in every change.
#: Mojibake runs first because it needs the text exactly as decoded: the unicode stage
#: strips C1 controls that are part of Latin-1 mojibake (``å\x8f\x91``).
STAGES: tuple[str, ...] = (
    "mojibake",
    "unicode",
    "gloss",
    "punctuation",
    "script",
    "width",
    "spacing",
)

#: Script targets by name, with the OpenCC config that converts Simplified input to each.
TARGETS: dict[str, str] = {
    "zh-hans": "t2s",
    "zh-cn": "t2s",
    "zh-hant": "s2t",
    "zh-tw": "s2tw",
    "zh-hk": "s2hk",
}

GlossMode = bool | str


class OptionsKwargs(TypedDict, total=False):
    """The keyword options ``normalize``, ``explain`` and ``Normalizer`` take (see ``Options``).

    Spelled out so editors complete them and type checkers catch a misspelt one.
    """

    target: str
    config: str | None
    mojibake: bool
    unicode: bool
    gloss: GlossMode
    punctuation: bool
    script: bool
    width: bool
    spacing: bool


@dataclass(frozen=True, kw_only=True)
class Options:
    """What to repair and which script to produce.

    ``target`` is a script name from ``TARGETS`` or an explicit OpenCC config (``"s2twp"``);
    ``config`` pins the OpenCC config for the script stage and turns off source
    detection. Each stage can be switched off by name; ``gloss="all"`` also removes
    glosses from deliberately glossed teaching text.
    """

    target: str = "zh-hans"
    config: str | None = None
    mojibake: bool = True
    unicode: bool = True
    gloss: GlossMode = True
    punctuation: bool = True
    script: bool = True
    width: bool = True
    spacing: bool = True

    def __post_init__(self) -> None:
        from .opencc.config import CONFIG_NAMES, canonical_config_name

        if self.target not in TARGETS and canonical_config_name(self.target) not in CONFIG_NAMES:
            raise OptionsError(
                f"unknown target {self.target!r}: use one of {', '.join(TARGETS)} "
                f"or an OpenCC config ({', '.join(CONFIG_NAMES)})"
            )
        if self.config is not None and canonical_config_name(self.config) not in CONFIG_NAMES:
            raise OptionsError(
                f"unknown config {self.config!r}: use one of {', '.join(CONFIG_NAMES)}"
            )
        if self.gloss not in (True, False, "all"):
            raise OptionsError(f"gloss must be True, False or 'all', not {self.gloss!r}")
        for name in STAGES:
            if name != "gloss" and not isinstance(getattr(self, name), bool):
                raise OptionsError(f"{name} must be True or False, not {getattr(self, name)!r}")

    def enabled(self, stage: str) -> bool:
        return bool(getattr(self, stage))

    def with_(self, **changes: Any) -> Options:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_kwargs(
        cls, options: Options | None = None, **kwargs: Unpack[OptionsKwargs]
    ) -> Options:
        """Build from keyword arguments, naming any unknown one (typos are common)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise OptionsError(
                f"unknown option(s) {', '.join(unknown)}: valid are {', '.join(sorted(known))}"
            )
        base = options if options is not None else cls()
        return replace(base, **kwargs) if kwargs else base
