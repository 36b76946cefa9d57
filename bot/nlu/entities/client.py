"""The client named in a message.

1. With the owner's known clients, the best window of 1-4 words is matched with rapidfuzz
   against each name (as given, and without its legal form: "Dupont SARL" -> "dupont");
   at or above FUZZY_THRESHOLD the canonical name is returned with score/100 as confidence.
   A part of a name no other client shares ("Roussel", "le cabinet roussel" for "Cabinet
   Dentaire Roussel") counts from PARTIAL_THRESHOLD, unless the words beside it name
   another business ("Garage Roussel").
2. Otherwise the name as said: a trade noun and its name ("la boulangerie Petit"), a word
   after a client cue ("chez martin", "relancé dupont"), or capitalised words that are not
   ordinary words of the training data ("Dupont SARL a payé").
Ordinary words and cues are learned from nlu.yml (`ClientPatterns.from_examples`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from bot.nlu.entities import Entity
from bot.nlu.entities.calendar_words import MONTHS, WEEKDAYS
from bot.nlu.text import fold
from bot.nlu.training_data import Example

FUZZY_EXTRACTOR = "FuzzyClientExtractor"
PATTERN_EXTRACTOR = "PatternClientExtractor"
FUZZY_THRESHOLD = 80.0
PARTIAL_THRESHOLD = 90.0
PATTERN_CONFIDENCE = 0.6
MAX_WINDOW = 4  # words of a window matched against the known names' forms
MAX_NAME = 6  # words of a name said ("SARL Les Jardins de Provence")

_TOKEN = re.compile(r"[^\W\d_][\w&'.-]*[\w&]|[^\W\d_]")
_LEGAL = frozenset("sarl sas sasu eurl sa sci snc selarl ltd inc llc gmbh cie et co".split())
_ARTICLES = frozenset("la le les l' chez".split())
_TRADES = frozenset(
    "boulangerie garage societe ste entreprise ets etablissements cabinet restaurant resto "
    "pharmacie hotel boucherie menuiserie plomberie agence studio atelier maison cafe bar "
    "salon ferme camping".split()
)
_FUNCTION_WORDS = frozenset(
    "de d a à pour avec et le la les du des que qui est sur par to for with from of the has does".split()
)
_ALWAYS_CUES = frozenset(("chez", "client", "cliente", "customer"))
# Small words inside a business name ("SCI Les Tilleuls", "Boulangerie de la Gare", "Garage
# du Centre"): part of the name only when a name word follows them.
_CONNECTORS = frozenset("de du des la le les".split())
_TITLES = frozenset("m mme mlle mr mrs ms monsieur madame dr docteur me maitre".split())
_EDGES = _FUNCTION_WORDS | _CONNECTORS  # never the first or last word of a name said
_NEVER = (
    frozenset(
        "tva ttc ht rib iban siret pdf sms csv rgpd bce ok urgent euro euros eur mail email".split()
    )
    | frozenset(MONTHS)
    | frozenset(WEEKDAYS)
)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    raw: str
    folded: str


@dataclass(frozen=True)
class ClientPatterns:
    """What the training data teaches about client mentions."""

    cues: frozenset[str] = frozenset()
    common_words: frozenset[str] = frozenset()

    @classmethod
    def from_examples(cls, examples: Iterable[Example]) -> ClientPatterns:
        cue_counts: Counter[str] = Counter()
        common: set[str] = set()
        for example in examples:
            folded = fold(example.text)
            clients = [s for s in example.entities if s.entity == "client"]
            for token in _tokens(example.text, folded):
                if not any(s.start <= token.start < s.end for s in clients):
                    common.add(token.folded)
            for span in clients:
                before = [t for t in _tokens(example.text, folded) if t.end <= span.start]
                if before:
                    cue_counts[before[-1].folded] += 1
        cues = {cue for cue, n in cue_counts.items() if n >= 2 and cue not in _FUNCTION_WORDS}
        return cls(frozenset(cues | _ALWAYS_CUES), frozenset(common))


def _tokens(text: str, folded: str) -> list[_Token]:
    return [
        _Token(m.start(), m.end(), text[m.start() : m.end()], m.group())
        for m in _TOKEN.finditer(folded)
    ]


def _core(name: str) -> str:
    words = [
        w for w in fold(name).replace("'", "' ").split() if w not in _LEGAL and w not in _ARTICLES
    ]
    return " ".join(words) or fold(name)


@lru_cache(maxsize=16_384)
def _variants(name: str) -> tuple[frozenset[str], frozenset[str], int]:
    """The forms a known client name is matched against: whole (as given, and without its
    legal form), and parts ("roussel", "cabinet roussel", "cabinet" for "Cabinet Dentaire
    Roussel"); and the widest window to try. Computed once per name, not per message."""
    core = _core(name)
    whole = frozenset({fold(name).strip(), core})
    words = core.split()
    distinctive = [
        k for k, w in enumerate(words)
        if len(w) >= 3 and w not in _TRADES | _CONNECTORS | _FUNCTION_WORDS | _NEVER
        and not (k and words[k - 1] in _CONNECTORS)  # "Garage du Centre": not "centre" alone
    ]
    parts = {words[k] for k in distinctive} | {w for w in words if w in _TRADES}
    parts |= {f"{words[i]} {words[k]}" for k in distinctive for i in range(k)
              if words[i] not in _CONNECTORS}
    parts |= {" ".join(w for w in words if w not in _TRADES)} if distinctive else set()
    return whole, frozenset(parts - whole - {""}), min(MAX_WINDOW, len(words) + 1)


@dataclass(frozen=True)
class _Forms:
    """Every form of an owner's known names, flattened for one rapidfuzz call."""

    forms: list[str]
    starts: np.ndarray  # index in `forms` of each name's first form
    partial: np.ndarray  # per form: a part of its name, not the whole
    widest: np.ndarray  # per name
    words: frozenset[str]  # every word of every form


@lru_cache(maxsize=256)
def _forms_of(known: tuple[str, ...]) -> _Forms:
    """The forms of `known`; a part shared with another name ("roussel" of two Roussel
    clients, or of a client called Roussel) names neither."""
    shapes = [_variants(name) for name in known]
    owners: dict[str, set[int]] = {}
    for index, (whole, parts, _) in enumerate(shapes):
        for form in whole | parts:
            owners.setdefault(form, set()).add(index)
    forms: list[str] = []
    partial: list[bool] = []
    starts: list[int] = []
    for index, (whole, parts, _) in enumerate(shapes):
        starts.append(len(forms))
        mine = sorted(whole) + sorted(p for p in parts if owners[p] == {index})
        forms += mine
        partial += [form not in whole for form in mine]
    return _Forms(forms, np.array(starts), np.array(partial),
                  np.array([size for _, _, size in shapes]),
                  frozenset(word for form in forms for word in form.split()))


def _fuzzy(
    tokens: list[_Token], known: Sequence[str], patterns: ClientPatterns
) -> list[tuple[float, _Token, _Token, str]]:
    """Each known name's best window (ratio against any of its forms, a part of the name
    counting only from PARTIAL_THRESHOLD; ties: the longer window, then the first), kept at
    FUZZY_THRESHOLD or above, best first.

    Every window is scored against every name's forms in one rapidfuzz call (C), not one
    call per name and window: an owner with 500 clients paid ~6 ms per message in Python."""
    if not known or not tokens:
        return []
    shapes = _forms_of(tuple(known))
    widest = int(shapes.widest.max())
    spans: list[tuple[int, int]] = []
    said: list[str] = []
    for i in range(len(tokens)):
        for j in range(i, min(i + widest, len(tokens))):
            window = tokens[i : j + 1]
            if _plausible(window, tokens[i - 1] if i else None, patterns, shapes.words):
                spans.append((i, j))
                said.append(_window_text(window))
    if not said:
        return []
    scores = process.cdist(said, shapes.forms, scorer=fuzz.ratio, dtype=np.float64)
    scores[:, shapes.partial] = np.where(scores[:, shapes.partial] >= PARTIAL_THRESHOLD,
                                         scores[:, shapes.partial], 0.0)
    scores = np.maximum.reduceat(scores, shapes.starts, axis=1)  # windows × names
    lengths = np.array([j - i for i, j in spans])[:, None]
    scores = np.where(lengths < shapes.widest[None, :], scores, -1.0)  # the name's widest
    best = scores.max(axis=0)
    at_best = scores == best[None, :]
    longest = np.where(at_best, lengths, -1).max(axis=0)
    chosen = np.argmax(at_best & (lengths == longest[None, :]), axis=0)  # the first such
    matches = [(float(best[k]), tokens[spans[w][0]], tokens[spans[w][1]], name)
               for k, (name, w) in enumerate(zip(known, chosen, strict=True))
               if best[k] >= FUZZY_THRESHOLD]
    return sorted(matches, key=lambda m: -m[0])


def _plausible(window: list[_Token], previous: _Token | None, patterns: ClientPatterns,
               name_words: frozenset[str] = frozenset()) -> bool:
    """Whether `window` may be a known client's name said: no word that never is; from two
    words, not starting or ending with a small word or an ordinary one outside the names
    ("boulangerie a payé" is not "Boulangerie Petit"); ordinary words alone only as a
    name would be said (capitalised inside the sentence, or after a cue: "chez petit")."""
    if any(t.folded in _NEVER for t in window):
        return False
    if len(window) > 1 and any(
            t.folded in _EDGES or (t.folded in patterns.common_words and t.folded not in name_words)
            for t in (window[0], window[-1])):
        return False
    if all(t.folded in patterns.common_words for t in window):
        capitalised = window[0].raw[:1].isupper() and previous is not None
        return capitalised or (previous is not None and previous.folded in patterns.cues)
    return True


def _window_text(window: list[_Token]) -> str:
    """The words of `window` as matched against names ("l'hôtel du port" -> "hotel du port")."""
    text = " ".join(t.folded for t in window)
    return text[2:] if text[1:2] == "'" and len(text) > 2 else text


def _name_word(token: _Token, patterns: ClientPatterns) -> bool:
    """A word that carries on a name: a legal form, an acronym, or a capitalised word that is
    not an ordinary one."""
    if token.folded in _NEVER:
        return False
    acronym = token.raw.isupper() and len(token.raw) > 1
    return (token.folded in _LEGAL or acronym
            or (token.raw[:1].isupper() and token.folded not in patterns.common_words))


def _name_at(tokens: list[_Token], i: int, patterns: ClientPatterns) -> int:
    """Index of the last token of a name starting at tokens[i]: capitalised words, legal
    forms, and small words between them ("SCI Les Tilleuls"), at most MAX_NAME words."""
    j = i
    while j + 1 < len(tokens) and j - i < MAX_NAME - 1:
        k = j + 1
        while k < len(tokens) and k - i < MAX_NAME - 1 and tokens[k].folded in _CONNECTORS:
            k += 1
        if k < len(tokens) and k - i <= MAX_NAME - 1 and _name_word(tokens[k], patterns):
            j = k
        else:
            break
    return j


def _said(tokens: list[_Token], patterns: ClientPatterns) -> list[tuple[_Token, _Token]]:
    found: list[tuple[_Token, _Token]] = []
    i = 0
    while i < len(tokens):
        token, previous = tokens[i], tokens[i - 1] if i else None
        ordinary = (token.folded in patterns.common_words or token.folded in _NEVER
                    or _code_like(token))
        if token.folded in _TRADES and i + 1 == len(tokens) and previous is not None:
            found.append((token, token))  # "où en est la boulangerie ?": which one is asked
            break
        if token.folded in _TRADES and i + 1 < len(tokens) and tokens[i + 1].folded not in _NEVER:
            k = i + 1  # "la boulangerie Petit", "la boulangerie de la gare"
            while k < min(len(tokens) - 1, i + 3) and tokens[k].folded in _CONNECTORS:
                k += 1
            named = (k == i + 1 and not _verb_like(tokens[k], patterns)) or (
                tokens[k].folded not in patterns.common_words | _NEVER | _CONNECTORS)
            j = _name_at(tokens, k, patterns) if named else i
            found.append((token, tokens[j]))
            i = j + 1
            continue
        capitalised = token.raw[:1].isupper() and (previous is not None or not ordinary)
        after_cue = (
            previous is not None and previous.folded in patterns.cues and len(token.folded) > 2
        )
        if not ordinary and (capitalised or after_cue):
            j = _name_at(tokens, i, patterns)
            found.append((token, tokens[j]))
            i = j + 1
            continue
        i += 1
    return found


def _only_a_part(tokens: list[_Token], first: _Token, last: _Token, name: str) -> bool:
    """Whether the window matched `name` only through a part of it."""
    window = _window_text(tokens[tokens.index(first) : tokens.index(last) + 1])
    return max(fuzz.ratio(window, form) for form in _variants(name)[0]) < FUZZY_THRESHOLD


def _next_to_another_name(tokens: list[_Token], first: _Token, last: _Token, name: str,
                          patterns: ClientPatterns) -> bool:
    """Whether a word beside a part of `name`, not in `name`, may name another business: a
    trade noun, a legal form, a capitalised word inside the sentence or a word that is not
    an ordinary one ("Garage Roussel", "Roussel SAS", "Boulangerie Petit", "la boulangerie
    martin"); a title is not one ("Mme Roussel"). Stricter than need be: a part left
    unmatched comes back as the name said, and the forms offer the clients meant."""
    own = set(_core(name).split()) | set(fold(name).split())
    for k in (tokens.index(first) - 1, tokens.index(last) + 1):
        if not 0 <= k < len(tokens) or tokens[k].folded in own | _TITLES:
            continue
        word = tokens[k]
        if (word.folded in _TRADES | _LEGAL or (k > 0 and word.raw[:1].isupper())
                or word.folded not in patterns.common_words | _EDGES | _NEVER):
            return True
    after = tokens.index(last) + 1
    return (first == last and first.folded in _TRADES and after < len(tokens)
            and not _verb_like(tokens[after], patterns))  # « la boulangerie martin »: which?


def _code_like(token: _Token) -> bool:
    """A reference rather than a name: half its characters or more are digits
    (« J-2026-14 », not « B2B »)."""
    return 2 * sum(c.isdigit() for c in token.raw) >= len(token.raw)


def _verb_like(token: _Token, patterns: ClientPatterns) -> bool:
    """A small word, an elided pronoun before a verb ("a", "de", "m'a", "n'a") or an ordinary
    word typed in lower case ("la boulangerie veut payer": not « Boulangerie Veut »)."""
    return token.folded in _EDGES or (token.raw.islower() and (
        "'" in token.folded or token.folded in patterns.common_words))


def extract_clients(
    text: str,
    known_clients: Sequence[str] = (),
    patterns: ClientPatterns | None = None,
    taken: Sequence[Entity] = (),
) -> list[Entity]:
    """Client mentions in `text`, skipping words already used by other entities (`taken`)."""
    patterns = patterns or ClientPatterns()
    tokens = [
        t for t in _tokens(text, fold(text)) if not any(e.overlaps(t.start, t.end) for e in taken)
    ]
    entities: list[Entity] = []
    for score, first, last, name in _fuzzy(tokens, known_clients, patterns):
        if _only_a_part(tokens, first, last, name) and _next_to_another_name(
                tokens, first, last, name, patterns):
            continue  # "Garage Roussel" is not "Cabinet Dentaire Roussel"
        if not any(e.overlaps(first.start, last.end) for e in entities):
            entities.append(
                Entity(
                    "client", first.start, last.end, name, FUZZY_EXTRACTOR, round(score / 100, 3)
                )
            )
    if entities:
        return sorted(entities, key=lambda e: e.start)
    for first, last in _said(tokens, patterns):
        entities.append(
            Entity(
                "client",
                first.start,
                last.end,
                text[first.start : last.end],
                PATTERN_EXTRACTOR,
                PATTERN_CONFIDENCE,
            )
        )
    return entities
