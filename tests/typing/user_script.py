"""A user's script over the public API; ``mypy --strict`` must pass on it (see test_typing.py).

It is also run, so what it claims about the API is checked both ways.
"""

from __future__ import annotations

import normtext
from normtext import (
    Converter,
    Decoded,
    DictionaryError,
    Normalizer,
    NormtextError,
    Options,
    Result,
    decode,
    explain,
    normalize,
)
from normtext.compat import OpenCC


def main() -> None:
    text: str = normalize("中文，，测试。", target="zh-tw", gloss=False)
    same: str = normtext.normalise("中文", options=Options(width=False))
    result: Result = explain("發(fā)布", gloss=True)
    span: tuple[int, int] = result.source_span(0, 1)
    decoded: Decoded = decode("漢字".encode("big5"))
    encoding: str = decoded.encoding
    converted: str = normtext.convert("漢字", "t2s")
    converter = Converter("s2twp", user_phrases={"乾隆": "乾隆"}, include_tofu=False)
    more: str = converter.convert("软件")
    normalizer = Normalizer(target="zh-hans", spacing=False)
    one: str = normalizer.normalize("中文")
    many: list[str] = normalizer.normalize_batch(["中文", "測試"])
    nullable: list[str | None] = normalizer.normalize_batch(["中文", None])
    legacy: str = OpenCC("t2s").convert("漢字") + OpenCC("t2s").conversion
    try:
        Converter("t2s", user_dict_files=["/nonexistent.txt"])
    except DictionaryError as exc:
        problem: NormtextError = exc
        print(problem)
    print(text, same, span, encoding, converted, more, one, many, nullable, legacy)


if __name__ == "__main__":
    main()
