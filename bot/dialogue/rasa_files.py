"""Reads data/rasa/domain.yml and rules.yml into what the embedded runner needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Intents only buttons send (the buttons of pushed nudges, the letter's "add the address",
# the settings' "my address"): no NLU examples on purpose.
BUTTON_ONLY_INTENTS = frozenset({"nudge_done", "nudge_snooze", "invoice_paid", "promise_check",
                                 "import_confirm", "instalment_paid", "set_address",
                                 "set_my_address"})
SKIP_PAYLOAD = "/skip"  # a "skip" button: taken as the answer text of the question asked


class RasaFileError(ValueError):
    """A Rasa file the runner cannot use; the message names the file and the problem."""


@dataclass(frozen=True)
class SlotMapping:
    kind: str  # from_entity | from_text | custom
    entity: str | None
    role: str | None
    active_loop: str | None
    requested_slot: str | None


@dataclass(frozen=True)
class RasaDomain:
    raw: dict[str, Any]
    intents: tuple[str, ...]
    forms: dict[str, tuple[str, ...]]
    mappings: dict[str, tuple[SlotMapping, ...]]
    intent_actions: dict[str, str] = field(default_factory=dict)  # from rules.yml
    submit_actions: dict[str, str] = field(default_factory=dict)  # form → action

    def ask(self, slot: str) -> tuple[str, list[tuple[str, str]]]:
        """The question for a form slot: its template and its (title, payload) buttons."""
        custom = self.raw["responses"][f"utter_ask_{slot}"][0]["custom"]
        return str(custom["template"]), [(str(t), str(p)) for t, p in custom.get("buttons", [])]


def _load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RasaFileError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise RasaFileError(f"{path}: expected a mapping")
    return data


def _mappings(slots: dict[str, Any]) -> dict[str, tuple[SlotMapping, ...]]:
    result = {}
    for name, spec in slots.items():
        items = []
        for m in spec.get("mappings", []):
            for condition in m.get("conditions") or [{}]:
                items.append(SlotMapping(m["type"], m.get("entity"), m.get("role"),
                                         condition.get("active_loop"),
                                         condition.get("requested_slot")))
        result[name] = tuple(items)
    return result


def _rules(rules: list[dict[str, Any]], forms: dict[str, Any]
           ) -> tuple[dict[str, str], dict[str, str]]:
    intent_actions: dict[str, str] = {}
    submits: dict[str, str] = {}
    for rule in rules:
        steps = rule.get("steps", [])
        condition = rule.get("condition") or []
        loop = next((str(c["active_loop"]) for c in condition if "active_loop" in c), "")
        if loop in forms:
            submitted = [s["action"] for s in steps if "action" in s and s["action"] != loop]
            if submitted:
                submits[loop] = submitted[-1]
            continue
        intents = [s["intent"] for s in steps if "intent" in s]
        intents += [o["intent"] for s in steps for o in s.get("or", []) if "intent" in o]
        action = next((s["action"] for s in steps if "action" in s), None)
        for intent in intents:
            if action:
                intent_actions[intent] = action
    return intent_actions, submits


def load_rasa(folder: Path) -> RasaDomain:
    domain = _load(folder / "domain.yml")
    rules = _load(folder / "rules.yml").get("rules", [])
    forms = {name: tuple(spec.get("required_slots", []))
             for name, spec in (domain.get("forms") or {}).items()}
    intent_actions, submits = _rules(rules, forms)
    return RasaDomain(domain, tuple(domain.get("intents", [])), forms,
                      _mappings(domain.get("slots", {})), intent_actions, submits)
