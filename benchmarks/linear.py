"""Time grows linearly with input: 1x and 4x inputs of shapes that once were quadratic.

- ``cr-only``: Chinese lines with spaces and ASCII punctuation, ended by CR alone (the
  spacing and unicode stages searched for LF to find a line and ran to the text's end);
- ``mixed-endings``: the same lines ended by CRLF, LF and CR in turn;
- ``many-changes``: ``中,,`` repeated (one change every three characters), through
  ``normalize`` and through ``explain`` (whose alignment bisected a fresh list per lookup);
- repeated tokens outside Chinese text (``¬´``, ``ÄÖÜäöüß``, ``å\x8f\x91``): the mojibake
  stage read such runs character by character (issue 13; more tokens in european.py).

Run: ``python benchmarks/linear.py [--base CHARS]``. Prints a Markdown table with seconds at
1x and 4x and their ratio (4.0 is linear; 16 quadratic).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import normtext

LINE = "今天 天气 很好,我们 去公园 散步 吧. 使用 Python 编程:好玩!"


def cr_only(chars: int) -> str:
    return "\r".join([LINE] * (chars // (len(LINE) + 1)))


def mixed_endings(chars: int) -> str:
    ends = ["\r\n", "\n", "\r"]
    n = chars // (len(LINE) + 2)
    return "".join(LINE + ends[k % 3] for k in range(n))


def many_changes(chars: int) -> str:
    return "中,," * (chars // 3)


def repeated(token: str) -> Callable[[int], str]:
    def make(chars: int) -> str:
        return token * (chars // len(token))

    return make


def _time(func: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    func(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=250_000, help="characters at 1x")
    args = parser.parse_args()

    def explain_text(t: str) -> object:
        return normtext.explain(t).text

    cases = [
        ("cr-only", "normalize", cr_only, normtext.normalize),
        ("cr-only", "explain", cr_only, explain_text),
        ("mixed-endings", "normalize", mixed_endings, normtext.normalize),
        ("many-changes", "normalize", many_changes, normtext.normalize),
        ("many-changes", "explain", many_changes, explain_text),
        *(
            (f"`{token!r}` repeated", "normalize", repeated(token), normtext.normalize)
            for token in ("¬´", "ÄÖÜäöüß", "å\x8f\x91")
        ),
    ]
    normtext.normalize("预热 warm-up,")  # build the stages outside the timings
    print(f"| input | call | 1x ({args.base:,} chars) s | 4x s | ratio |")
    print("|---|---|---:|---:|---:|")
    for name, call, make, func in cases:
        one = _time(func, make(args.base))
        four = _time(func, make(4 * args.base))
        print(f"| {name} | {call} | {one:.2f} | {four:.2f} | {four / one:.1f} |")


if __name__ == "__main__":
    main()
