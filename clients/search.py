"""A search key that folds a name's spellings in Cyrillic and Latin into one form.

Passports romanise by other systems than a Russian speaker types, so mapping one script to
the other is not enough: Рахимов is Rakhimov or Rahimov, Юсупова is Iusupova, Yusupova or
Jusupova, Жумабаев is Zhumabaev or Jumabayev, Цой is Tsoi or Coy. Every spelling is first
transliterated to plain Latin and then the variants are folded (kh/h/x, iu/yu/ju, zh/j/dzh,
ts/c, a trailing -iy/-y/-ii, doubled letters...). The same function folds a query, so a
stored key and a query match when they fold alike.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

# Russian plus the letters of Kazakh, Kyrgyz, Tajik and Uzbek Cyrillic. Folding happens
# afterwards, so one plausible Latin value per letter is enough.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju",
    "я": "ja",
    # Kazakh
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Tajik and Uzbek
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u",
}

# Apostrophe-like marks: Uzbek oʻ and gʻ, the hard and soft sign in Latin spellings.
APOSTROPHES = "'ʻʼ’‘`´ʹ"
VOWELS = "aeiou"

# Ordered rewrites on the plain Latin form. Order matters: longer clusters first.
FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"shch|sch", "sh"),
        (r"tch", "ch"),
        (r"dzh|dj|zh", "j"),
        (r"kh|x", "h"),
        (r"q", "k"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"ts", "c"),
        (r"ou", "u"),
        # iu/yu/ju, ia/ya/ja, io/yo/jo: one form each.
        (r"[iy]u", "ju"),
        (r"[iy]a", "ja"),
        (r"[iy]o", "jo"),
        # ye/je at the start of a word or after a vowel is plain e (Yevgeniy, Abdullayev).
        (r"(?:^|(?<=[aeiou]))[yj]e", "e"),
        # ё after a consonant is written e in passports (Fedor, Fyodor).
        (r"(?<=[bcdfghklmnprstvz])jo", "e"),
        # Mariam/Maryam/Мариям: an i before a j-vowel adds nothing.
        (r"ij(?=[aeiou])", "j"),
        (r"y", "i"),
        # й at the end of a syllable reads as i (Кайрат Kairat, Цой Tsoi).
        (r"j(?![aeiou])", "i"),
        # A trailing -ii/-iy/-y/-i (Dmitrii, Dmitriy, Dmitry) ends in one i.
        (r"i+$", "i"),
        (r"(.)\1+", r"\1"),
    ]
]


def _plain_latin(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    # Uzbek Latin oʻ is the Cyrillic ў (u); gʻ is ғ (g).
    text = re.sub(f"o[{APOSTROPHES}]", "u", text)
    text = "".join(CYRILLIC.get(char, char) for char in text)
    for mark in APOSTROPHES:
        text = text.replace(mark, "")
    # Accents and any other script: the closest ASCII (Traoré, Şahin, Öztürk).
    return unidecode(text).lower()


def _fold_token(token: str) -> str:
    for pattern, replacement in FOLDS:
        token = pattern.sub(replacement, token)
    return token


def normalise(text: str | None) -> str:
    """Fold a name, or a string of names, into space-separated search tokens."""
    if not text:
        return ""
    plain = _plain_latin(text)
    tokens = re.split(r"[^a-z0-9]+", plain)
    return " ".join(_fold_token(token) for token in tokens if token)


def search_key(*parts: str | None) -> str:
    """The stored key of a person: every name part in both scripts, each token once."""
    seen: dict[str, None] = {}
    for part in parts:
        for token in normalise(part).split():
            seen.setdefault(token, None)
    return " ".join(seen)
