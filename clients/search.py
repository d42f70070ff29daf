"""Search keys that let any spelling of a name, in Cyrillic or Latin, find the person.

A name reaches us through several romanisation systems at once (ICAO passports, Uzbek and
Kazakh Latin, French, whatever a Russian speaker types), so mapping one script onto the
other is not enough: after transliteration the variants are folded onto one canonical
spelling. Stored keys and queries go through the same ``normalise``, so a row matches when
every query token occurs in its key. The canonical form is internal and need not be pretty;
it only has to be identical for spellings of one name and different for different names.

Canonical choices, applied in this order to every word:

- consonants: shch/sch -> sh, tch -> ch, tc -> ts, dzh/dj/zh -> j, kh/x -> h, gh -> g,
  ph -> f, q -> k, w -> v; Latin c -> s before e/i/y, -> ts in Coy/Coi (Цой), else -> k;
  ou -> u;
- the semivowel (й, Latin y/j/i next to a vowel): j at the start of a word and after a
  vowel (Yusupova, Aybek -> jusupova, ajbek), i after a consonant (Lyubov, Ilyas ->
  liubov, ilias), nothing between i and a vowel (Aliya, Aliia -> alia);
- e: word-initial ye -> e, je after a vowel -> e (Yevgeniy, Jumabayev);
- ё: jo after a consonant is first i + o, then io between consonants -> e, the passport
  and everyday Russian reading (Fyodor, Fiodor, Фёдор -> fedor);
- a word-final -ij (-iy, -yi, -ii, -y) -> i;
- doubled letters are collapsed, apostrophes and hard and soft signs dropped; Uzbek oʻ and
  ў are u, as Russian documents write them.
"""

import re
import unicodedata

from unidecode import unidecode

# Our own table rather than unidecode's for Cyrillic: unidecode writes ю/я as "iu"/"ia" and
# ҷ/қ with apostrophes, and misses the Central Asian letters' usual Latin forms.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "э": "e", "ю": "ju", "я": "ja",
    # Kazakh
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Tajik
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j",
    # Uzbek ў (Latin oʻ) is written у in Russian documents: Ўринбоев, Уринбоев
    "ў": "u",
    # Ukrainian and Belarusian letters that turn up in Soviet-era documents
    "є": "je", "ї": "ji", "ґ": "g",
}  # fmt: skip

# Turkish and Kazakh (2021) Latin: unidecode would lose the h of ş and ç.
_LATIN = {"ş": "sh", "ç": "ch", "ğ": "g", "ı": "i"}

# Uzbek oʻ/gʻ and N'Diaye are written with any of these; ъ and ь carry no sound of their own.
_APOSTROPHES = "'ʻʼ’‘`´ʹ′"
_DROPPED = _APOSTROPHES + "ъь"

# Uzbek Latin oʻ is the Cyrillic ў, so it folds to u as well (Oʻrinboyev, Urinboev).
_UZBEK_O = re.compile(f"o[{re.escape(_APOSTROPHES)}]")

_TABLE = str.maketrans({**_CYRILLIC, **_LATIN, **dict.fromkeys(_DROPPED, "")})

_VOWELS = "aeiou"
_DOUBLED = re.compile(r"([a-z])\1+")

# (pattern, replacement) pairs; the order matters, later rules see earlier results.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"s?shch|sch", "sh"),
        (r"tch", "ch"),
        (r"tc", "ts"),
        (r"dzh|dj|zh", "j"),
        (r"kh|x", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"q", "k"),
        (r"w", "v"),
        # Latin c is ц in Slavic and Uzbek schemes (Coy) but k or s in French (Coulibaly,
        # Cissé); the West African names are far more common, so Цой is the one exception.
        (r"c(?=o[iyj]$)", "ts"),
        (r"c(?=[eiy])", "s"),
        (r"c(?!h)", "k"),
        (r"ou", "u"),
        (r"^ye", "e"),
        (r"y(?=[aeiou])", "j"),
        (r"(?<=[aeiou])y", "j"),
        (r"y", "i"),
        (r"^i(?=[aeou])", "j"),
        (r"(?<=[aeou])i", "j"),
        (r"(?<=[^aeiouj])j(?=[aeiou])", "i"),
        (r"ij(?=[aeiou])", "i"),
        (r"ii+", "i"),
        (r"(?<=[^aeiou])io(?=[^aeiou])", "e"),
        (r"(?<=[aeiou])je", "e"),
        (r"ij$", "i"),
    ]
]


def _fold_word(word: str) -> str:
    """Fold one ASCII lower-case word onto its canonical spelling."""
    word = _DOUBLED.sub(r"\1", word)
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    return _DOUBLED.sub(r"\1", word)


def normalise(text: str | None) -> str:
    """Fold a name, or a string of several names, into space-separated search-key tokens."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).lower()
    text = _UZBEK_O.sub("u", text).translate(_TABLE)
    # Everything still outside ASCII (accents, other scripts) is left to unidecode.
    text = unidecode(text).lower()
    return " ".join(_fold_word(word) for word in re.split(r"[^a-z0-9]+", text) if word)


def search_key(*parts: str | None) -> str:
    """The stored key for a person: every name field in both scripts, each token once."""
    tokens: dict[str, None] = {}
    for part in parts:
        if part:
            tokens.update(dict.fromkeys(normalise(part).split()))
    return " ".join(tokens)
