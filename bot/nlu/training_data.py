"""Load a Rasa 3 NLU file (`data/rasa/nlu.yml`) into typed examples.

Annotations use Rasa's markdown syntax: `[1 250 €](amount)` or
`[Dupont]{"entity": "client", "value": "Dupont SARL"}`; they are stripped from the
text and kept as character spans.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_ANNOTATION = re.compile(
    r"\[(?P<text>[^\[\]]+)\]"
    r"(?:\((?P<entity>[^():]+)(?::(?P<value>[^()]+))?\)|(?P<json>\{[^{}]+\}))"
)
_LEFTOVER = re.compile(r"\]\(|\]\{")
_OTHER_KEYS = ("synonym", "regex", "lookup")


class TrainingDataError(ValueError):
    """The NLU file is not a valid Rasa 3 NLU file; the message says where and why."""


@dataclass(frozen=True)
class EntitySpan:
    entity: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[EntitySpan, ...] = ()


def strip_annotations(line: str, where: str = "") -> tuple[str, tuple[EntitySpan, ...]]:
    """Return the plain text of an annotated example and its entity spans."""
    parts: list[str] = []
    spans: list[EntitySpan] = []
    length = 0
    last = 0
    for match in _ANNOTATION.finditer(line):
        before = line[last : match.start()]
        parts.append(before)
        length += len(before)
        shown = match["text"]
        entity, value = _entity_and_value(match, where)
        spans.append(EntitySpan(entity, length, length + len(shown), value or shown))
        parts.append(shown)
        length += len(shown)
        last = match.end()
    rest = line[last:]
    if _LEFTOVER.search(rest):
        raise TrainingDataError(f"{where}: malformed entity annotation in {line!r}")
    parts.append(rest)
    return "".join(parts), tuple(spans)


def _entity_and_value(match: re.Match[str], where: str) -> tuple[str, str | None]:
    if match["json"] is None:
        return match["entity"].strip(), match["value"]
    try:
        spec = json.loads(match["json"])
    except json.JSONDecodeError as error:
        raise TrainingDataError(f"{where}: bad entity JSON {match['json']!r}: {error}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("entity"), str):
        raise TrainingDataError(f"{where}: entity JSON needs an 'entity' key: {match['json']!r}")
    value = spec.get("value")
    return spec["entity"], value if isinstance(value, str) else None


def parse_training_yaml(content: str, source: str = "<string>") -> list[Example]:
    """Parse the YAML text of an NLU file; raise `TrainingDataError` when it is malformed."""
    try:
        document: Any = yaml.safe_load(content)
    except yaml.YAMLError as error:
        raise TrainingDataError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise TrainingDataError(f"{source}: expected a mapping with 'version' and 'nlu'")
    version = document.get("version")
    if not isinstance(version, str) or not version.startswith("3."):
        raise TrainingDataError(f'{source}: version must be a string like "3.1", got {version!r}')
    items = document.get("nlu")
    if not isinstance(items, list) or not items:
        raise TrainingDataError(f"{source}: 'nlu' must be a non-empty list")
    examples: list[Example] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(items):
        where = f"{source}: nlu item {index + 1}"
        if not isinstance(item, dict):
            raise TrainingDataError(f"{where}: expected a mapping, got {type(item).__name__}")
        if any(key in item for key in _OTHER_KEYS):
            continue  # synonyms, regexes and lookups are valid Rasa but unused here
        intent = item.get("intent")
        if not isinstance(intent, str) or not intent.strip():
            raise TrainingDataError(f"{where}: needs 'intent: <name>'")
        where = f"{source}: intent {intent!r}"
        for example in _example_lines(item.get("examples"), where):
            text, spans = strip_annotations(example, where)
            key = " ".join(text.lower().split())
            if seen.get(key, intent) != intent:
                raise TrainingDataError(f"{where}: {text!r} is also an example of {seen[key]!r}")
            seen[key] = intent
            examples.append(Example(text, intent, spans))
    return examples


def _example_lines(block: object, where: str) -> list[str]:
    if not isinstance(block, str):
        raise TrainingDataError(f"{where}: 'examples' must be a '|' block of '- ' lines")
    lines: list[str] = []
    for number, raw in enumerate(block.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("- ") or not line[2:].strip():
            raise TrainingDataError(f"{where}: example line {number} must start with '- ': {raw!r}")
        lines.append(line[2:].strip())
    if not lines:
        raise TrainingDataError(f"{where}: no examples")
    return lines


def load_training_data(path: Path) -> list[Example]:
    """Read and parse an NLU file."""
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TrainingDataError(f"cannot read NLU file {path}: {error}") from None
    return parse_training_yaml(content, str(path))
