"""The measuring set of spellings (tests/clients/spellings.py) is sound as data: big enough,
every kind of variation represented, no pair twice, nothing both the same and different."""

from collections import Counter

from tests.clients.spellings import CATEGORIES, DIFFERENT, VARIANTS

MIN_PER_CATEGORY = 15


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a.casefold(), b.casefold()))


def test_enough_variants_and_look_alikes():
    assert len(VARIANTS) >= 400
    assert len(DIFFERENT) >= 60


def test_every_category_is_known_and_well_represented():
    counts = Counter(variant.category for variant in VARIANTS)
    assert set(counts) == set(CATEGORIES)
    thin = [category for category in CATEGORIES if counts[category] < MIN_PER_CATEGORY]
    assert thin == []


def test_a_good_share_is_hard_but_most_are_ordinary():
    hard = sum(variant.hard for variant in VARIANTS)
    assert len(VARIANTS) * 0.25 <= hard <= len(VARIANTS) * 0.5
    assert all(isinstance(variant.hard, bool) for variant in VARIANTS)


def test_no_empty_or_padded_strings():
    strings = [s for v in VARIANTS for s in (v.spelling_a, v.spelling_b)]
    strings += [s for d in DIFFERENT for s in (d.name_a, d.name_b, d.reason)]
    assert all(s and s == s.strip() and "  " not in s for s in strings)


def test_no_pair_twice_and_no_pair_of_one_spelling():
    variants = Counter(pair(v.spelling_a, v.spelling_b) for v in VARIANTS)
    different = Counter(pair(d.name_a, d.name_b) for d in DIFFERENT)
    assert [p for p, n in (variants + different).items() if n > 1] == []
    assert [p for p in variants + different if len(p) < 2] == []


def test_nothing_is_both_the_same_name_and_a_different_one():
    """Not directly, nor through a chain of variants (A~B, B~C, and C listed as unlike A)."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        name = parent.setdefault(name, name)
        while parent[name] != name:
            name = parent[name]
        return name

    for variant in VARIANTS:
        parent[root(variant.spelling_a.casefold())] = root(variant.spelling_b.casefold())
    assert [d for d in DIFFERENT if root(d.name_a.casefold()) == root(d.name_b.casefold())] == []
