"""Idempotence at scale: ``normalize(normalize(x)) == normalize(x)`` and
``explain(x).text == normalize(x)`` on many generated mixes of every construct the stages
act on (``tests/strategies.py``'s ``stage_mix``: Simplified/Traditional, chains of pinyin
glosses, both widths of punctuation, spurious commas, URLs, addresses, handles, faces, code,
JSON, emoji, digits, CR/LF/CRLF line ends, spaces between Han, nested in brackets and quotes).

Run: ``python benchmarks/idempotence.py [--examples N] [--seed S] [--generator G] [--show K]
[--dump FILE]``. Prints the failure rates and the first failures, shortest first; ``--dump``
writes every failure as JSON (one object a line, with its example number) for shrinking.
The same ``--seed`` draws the same examples from the same generator, so two trees can be
compared on identical inputs. ``--generator stage_mix_with_mojibake`` adds mojibake runs
to the pieces. The test suite runs ``stage_mix`` with a few hundred examples
(tests/test_idempotence.py).

``--generator text_ALPHABET`` draws arbitrary text instead, as an outside checker would
(``strategies.random_text``: all of Unicode, CJK with ASCII, Latin-1 and full-width forms,
Japanese, Hangul, radicals and compatibility ideographs, pinyin glosses); ``text_mix``
takes each example from one of them in turn. A crash counts as a failure of its own.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import strategies

import normtext
from normtext.options import STAGES

TEXT_KINDS = [f"text_{name}" for name in strategies.TEXT_ALPHABETS]


def _examples(args: argparse.Namespace) -> Iterator[str]:
    """The generator's examples, the same ones for the same ``--seed``."""
    rng = random.Random(args.seed)
    if args.generator.startswith("text_"):
        names = list(strategies.TEXT_ALPHABETS)
        for k in range(args.examples):
            name = args.generator[5:] if args.generator != "text_mix" else names[k % len(names)]
            yield strategies.random_text(rng, name)
    elif args.draw == "hypothesis":
        drawn: list[str] = []

        @settings(
            max_examples=args.examples,
            phases=[Phase.generate],
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @seed(args.seed)
        @given(getattr(strategies, args.generator))
        def draw(text: str) -> None:
            drawn.append(text)

        draw()
        yield from drawn
    else:
        mojibake = args.generator == "stage_mix_with_mojibake"
        for _ in range(args.examples):
            yield strategies.random_stage_mix(rng, mojibake=mojibake)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument(
        "--generator",
        choices=["stage_mix", "stage_mix_with_mojibake", "text_mix", *TEXT_KINDS],
        default="stage_mix",
        help="strategy of tests/strategies.py (stage_mix: what the CI property runs), or "
        "arbitrary text from one alphabet (text_*, random draw only)",
    )
    parser.add_argument(
        "--draw",
        choices=["random", "hypothesis"],
        default="random",
        help="random: strategies.random_stage_mix, the same pieces a hundred times faster "
        "(default); hypothesis: the strategy itself, as the CI property draws it",
    )
    parser.add_argument(
        "--off",
        action="append",
        default=[],
        choices=list(STAGES),
        help="a stage to switch off (repeatable): sets apart what the others leave undone",
    )
    parser.add_argument("--show", type=int, default=10, help="failures to print")
    parser.add_argument("--dump", type=Path, help="write every failure here, JSON lines")
    args = parser.parse_args()
    normalizer = normtext.Normalizer(**dict.fromkeys(args.off, False))
    seen = 0
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None

    def record(kind: str, text: str, first: str, second: str) -> None:
        """Written as found, so a long run that is stopped still leaves its failures."""
        if dump:
            row = {"kind": kind, "example": seen, "input": text, "first": first, "second": second}
            dump.write(json.dumps(row, ensure_ascii=False) + "\n")
            dump.flush()

    not_fixed: list[tuple[str, str, str]] = []
    explain_differs: list[tuple[str, str, str]] = []
    crashed: list[tuple[str, str, str]] = []

    def check(text: str) -> None:
        nonlocal seen
        seen += 1
        if seen % 20000 == 0:
            print(f"{seen:,} examples, {len(not_fixed)} not fixed", file=sys.stderr, flush=True)
        try:
            once = normalizer.normalize(text)
            twice = normalizer.normalize(once)
            explained = normalizer.explain(text).text
        except Exception as error:  # noqa: BLE001 - every crash is a finding to report
            crashed.append((text, type(error).__name__, str(error)))
            record("crash", text, type(error).__name__, str(error))
            return
        if twice != once:
            not_fixed.append((text, once, twice))
            record("not a fixed point", text, once, twice)
        if explained != once:
            explain_differs.append((text, once, explained))
            record("explain differs", text, once, explained)

    start = time.perf_counter()
    for text in _examples(args):
        check(text)
    seconds = time.perf_counter() - start
    print(
        f"{seen:,} examples ({args.generator}, {args.draw} draw, seed {args.seed}"
        f"{''.join(', ' + name + ' off' for name in args.off)}) in {seconds:.0f} s"
    )
    print(f"normalize not a fixed point: {len(not_fixed):,} ({len(not_fixed) / seen:.3%})")
    print(
        f"explain text != normalize: {len(explain_differs):,} ({len(explain_differs) / seen:.3%})"
    )
    print(f"crashed: {len(crashed):,} ({len(crashed) / seen:.3%})")
    results = (
        ("crash", crashed),
        ("not a fixed point", not_fixed),
        ("explain differs", explain_differs),
    )
    for label, found in results:
        for text, first, second in sorted(found, key=lambda f: len(f[0]))[: args.show]:
            print(f"\n{label}: {text!r}\n  first:  {first!r}\n  second: {second!r}")


if __name__ == "__main__":
    main()
