"""The embedded runner: a small Rasa core (rules, forms, slot filling) over rasa-sdk actions.

Each owner's tracker lives in the ledger. Actions run in-process through
`rasa_sdk.executor.ActionExecutor` with the very payload a Rasa server would post to
`/webhook`, so `relance actions` serves the same behaviour to a real Rasa.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from rasa_sdk.executor import ActionExecutor

from bot.dialogue.buttons import buttons_of, parse_payload, plain, title_payload
from bot.dialogue.compound import PAID_WORDS, PROMISED_WORDS, paid_then_promised, with_client
from bot.dialogue.rasa_files import SKIP_PAYLOAD, RasaDomain
from bot.nlu.parser import NluModel, is_confident

log = logging.getLogger(__name__)

INTERRUPTIONS = {"what_now", "help", "list_overdue", "ask_penalties", "invoice_status"}
DATE_SLOTS = {"invoice_date": "past", "due_date": "any", "promise_date": "future"}
AMOUNT_SLOTS = {"amount", "promise_amount", "payment_amount"}
PAST_CUES = re.compile(r"\b(?:[ée]chue?s?|depuis|overdue|was due|since)\b", re.IGNORECASE)
# Dates said about money already received are behind us ("a payé samedi": the last one):
# in the message that reports a payment and while its form is open.
PAST_INTENTS = {"report_payment"}
PAST_FORMS = {"payment_form"}
MAX_EVENTS = 40  # the tracker keeps the recent past only (it is saved after every message)
MAX_FOLLOWUPS = 3
# Forms a confident task message leaves: onboarding's questions may be answered later.
YIELDING_FORMS = {"onboarding_form"}
TASKS = {"add_invoice", "log_promise", "log_call", "report_payment", "report_dispute",
         "payment_plan"}
TASK_ENTITIES = {"amount", "invoice_number", "date"}
# A new invoice said in full (its number and amount) at another form's question (« facture
# 14 Lebrun 1 200 € … » at « Quel montant avez-vous reçu ? ») leaves that form, unrecorded:
# taken as the answer, it kept the owner in a loop of « Pour quel client ? ».
NEW_INVOICE = "add_invoice"
NEW_INVOICE_ENTITIES = {"amount", "invoice_number"}
KEEPS_NEW_INVOICE = {"invoice_form", *YIELDING_FORMS}  # a correction there, or handled above
# Asked for a client, an amount or a date, a message that is plainly something else — a
# confident intent of another form or command, without the entity asked for (« mets les
# rappels en pause » at « Pour quel client ? ») — leaves the form too; questions answered
# in free words or by a button keep whatever is typed.
LEAVE_FOR = {"settings", "export_data", "forget_me", "snooze", "fix_invoice",
             "delete_invoice", "payment_plan", "report_dispute", "log_call", "log_promise",
             "report_payment"}
LEAVE_CONFIDENCE = 0.85
CROSS_CONFIDENCE = 0.75
# Words that tell of a payment made or a promise given, whichever form is open.
EVENT_WORDS = {"report_payment": PAID_WORDS, "log_promise": PROMISED_WORDS}
EVENT_ANSWERS = {("call_form", "log_promise")}  # « il a promis … »: what the call gave
ASKED_ENTITY = {"client": "client", "amount": "amount", "promise_amount": "amount",
                "payment_amount": "amount", "invoice_date": "date", "due_date": "date",
                "promise_date": "date", "first_instalment": "date"}
MAX_TITLE = 40  # longer messages are not a button's title typed


@dataclass
class Turn:
    """One owner's tracker during one message."""

    owner_id: int
    language: str
    today: date
    events: list[dict[str, Any]]
    slots: dict[str, Any]
    active_loop: str | None
    latest_message: dict[str, Any] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)

    def set_slot(self, name: str, value: Any) -> None:
        self.slots[name] = value
        self.events.append({"event": "slot", "name": name, "value": value})

    def as_tracker(self) -> dict[str, Any]:
        return {
            "sender_id": f"owner:{self.owner_id}", "slots": dict(self.slots),
            "latest_message": self.latest_message, "events": list(self.events),
            "paused": False, "followup_action": None,
            "active_loop": {"name": self.active_loop} if self.active_loop else {},
            "latest_action_name": None, "latest_input_channel": "relance",
        }


Render = Callable[[str, str, dict[str, Any], Sequence[tuple[str, str]]], dict[str, Any]]


class Runner:
    def __init__(self, domain: RasaDomain, nlu: NluModel, executor: ActionExecutor,
                 render: Render) -> None:
        self.domain, self.nlu, self.executor, self.render = domain, nlu, executor, render
        self._titles: dict[tuple[str, str], dict[str, str]] = {}  # (slot, language) → payloads

    async def handle(self, turn: Turn, text: str, known_clients: Sequence[str]) -> None:
        text, replied = self._pressed(turn, text), len(turn.responses)
        try:
            await self._handle(turn, text, known_clients)
        finally:
            turn.slots["last_buttons"] = buttons_of(turn.responses[replied:])

    async def _handle(self, turn: Turn, text: str, known_clients: Sequence[str]) -> None:
        if not turn.active_loop and not text.startswith("/") and await self._paid_and_promised(
                turn, text, known_clients):
            return
        parse = parse_payload(text) if text.startswith("/") else None
        if parse is None:
            requested = turn.slots.get("requested_slot")
            direction = DATE_SLOTS.get(str(requested), "any") if turn.active_loop else "any"
            if PAST_CUES.search(text) or turn.active_loop in PAST_FORMS:
                direction = "past"  # "échue le 15/10", "overdue since": a date behind us
            parse = self.nlu.parse(text, turn.today, known_clients, direction)
            if (direction == "any" and parse["intent"]["name"] in PAST_INTENTS
                    and any(e["entity"] == "date" for e in parse["entities"])):
                parse = self.nlu.parse(text, turn.today, known_clients, "past")
        intent = str(parse["intent"]["name"])
        confident = is_confident(parse)
        asked_date = turn.active_loop and turn.slots.get("requested_slot") in (
            *DATE_SLOTS, "first_instalment")  # (there, the question's own check names it)
        if parse.get("invalid_dates") and not asked_date:  # « échue le 31/02 »: said so
            self._say(turn, "date_not_real", {
                "dates": [str(d["text"]) for d in parse["invalid_dates"]][:3]}, [])
        for name in self.domain.mappings:
            turn.slots.setdefault(name, None)
        turn.slots.setdefault("requested_slot", None)
        turn.slots["language"] = turn.language
        turn.latest_message = {**parse, "metadata": {"today": turn.today.isoformat()}}
        turn.events.append({"event": "user", "text": text[:2000], "parse_data": {
            "intent": parse["intent"], "entities": parse["entities"]},
            "metadata": {"today": turn.today.isoformat()},
            "timestamp": datetime.now(UTC).timestamp()})
        if turn.active_loop:
            await self._in_form(turn, text, parse, intent, confident)
        elif not confident:
            self._say(turn, "not_understood", {}, [("what_now", "/what_now"),
                                                   ("new_invoice", "/add_invoice"),
                                                   ("help", "/help")])
        else:
            await self._follow_rule(turn, parse, intent)
        del turn.events[:-MAX_EVENTS]

    async def _paid_and_promised(self, turn: Turn, text: str, known: Sequence[str]) -> bool:
        """« Martin a payé 500 € et promet le reste vendredi »: the payment, then the promise
        (bot.dialogue.compound), when the payment is complete in itself (its client and
        amount said): nothing of the promise is left waiting behind a question."""
        parts = paid_then_promised(text)
        if parts is None:
            return False
        paid = self.nlu.parse(parts[0], turn.today, known, "past")
        said = {e["entity"]: e["value"] for e in reversed(paid["entities"])}
        if (paid["intent"]["name"] != "report_payment" or not is_confident(paid)
                or "amount" not in said or "client" not in said):
            return False
        await self.handle(turn, parts[0], known)
        if turn.active_loop:  # the payment asks something after all: the promise waits
            return True
        await self.handle(turn, with_client(parts[1], str(said["client"])), known)
        return True

    async def handle_file(self, turn: Turn, content: bytes, max_bytes: int) -> None:
        """A file from the owner (a CSV of invoices): kept in the tracker, then previewed.
        Beyond `max_bytes` only its size is kept, for the refusal to name it."""
        kept = content if len(content) <= max_bytes else b""
        turn.slots["language"] = turn.language
        turn.latest_message = {"text": "", "intent": {"name": "import_file", "confidence": 1.0},
                               "entities": [], "metadata": {"today": turn.today.isoformat()}}
        turn.set_slot("pending_import", {"size": len(content),
                                         "base64": base64.b64encode(kept).decode("ascii")})
        await self.run_action(turn, "action_import_preview")

    async def _follow_rule(self, turn: Turn, parse: dict[str, Any], intent: str) -> None:
        action = self.domain.intent_actions.get(intent, "action_out_of_scope")
        if action in self.domain.forms:
            turn.active_loop = action
            turn.events.append({"event": "active_loop", "name": action})
            await self._run_form(turn, self._candidates(turn, parse, ""))
        else:
            await self.run_action(turn, action)

    async def _in_form(self, turn: Turn, text: str, parse: dict[str, Any], intent: str,
                       confident: bool) -> None:
        if intent == "cancel" and confident:
            await self.run_action(turn, "action_cancel")
            return
        if (turn.active_loop in YIELDING_FORMS and confident and intent in TASKS
                and any(e["entity"] in TASK_ENTITIES for e in parse["entities"])):
            await self._leave_for(turn, parse, intent)
            return
        if (turn.active_loop not in KEEPS_NEW_INVOICE and confident and intent == NEW_INVOICE
                and NEW_INVOICE_ENTITIES <= {e["entity"] for e in parse["entities"]}
                ) or self._elsewhere(turn, parse, intent):
            await self._drop_for(turn, parse, intent)
            return
        candidates = self._candidates(turn, parse, text)
        # "quoi faire ?" mid-form answers, then asks again; an answer carrying an entity
        # ("Dupont SARL", "F-117", "1 500 €") is taken as the answer.
        if confident and intent in INTERRUPTIONS and not parse["entities"]:
            await self.run_action(turn, self.domain.intent_actions[intent])
            self._ask(turn, str(turn.slots.get("requested_slot")))
            return
        await self._run_form(turn, candidates)

    async def _leave_for(self, turn: Turn, parse: dict[str, Any], intent: str) -> None:
        """The owner answers onboarding with business ("Dupont me doit 500 € facture F-3"):
        onboarding ends with what was answered (its closing words unsaid) and the message is
        handled, not taken as their business name."""
        said = len(turn.responses)
        await self._submit(turn, str(turn.active_loop))
        del turn.responses[said:]
        await self._follow_rule(turn, parse, intent)

    def _elsewhere(self, turn: Turn, parse: dict[str, Any], intent: str) -> bool:
        """Whether the message is plainly not this question's answer (see LEAVE_FOR), or
        tells of another event than the form's (« he paid 900 today » asked how much was
        promised: a payment, not a promise of 900 € due today)."""
        if (intent not in LEAVE_FOR or float(parse["intent"]["confidence"]) < CROSS_CONFIDENCE
                or self.domain.intent_actions.get(intent) == turn.active_loop):
            return False
        told = EVENT_WORDS.get(intent)
        if (told is not None and (turn.active_loop, intent) not in EVENT_ANSWERS
                and told.search(str(parse.get("text") or ""))):
            return True
        asked = ASKED_ENTITY.get(str(turn.slots.get("requested_slot")))
        return (asked is not None and float(parse["intent"]["confidence"]) >= LEAVE_CONFIDENCE
                and all(e["entity"] != asked for e in parse["entities"]))

    async def _drop_for(self, turn: Turn, parse: dict[str, Any], intent: str) -> None:
        """The form in progress is dropped unrecorded (as « annuler » would, its own words
        replaced by a note naming it), then the message is handled."""
        form, said = str(turn.active_loop), len(turn.responses)
        await self.run_action(turn, "action_cancel")
        del turn.responses[said:]
        self._say(turn, "form_left", {"form": form}, [])
        await self._follow_rule(turn, parse, intent)

    def _candidates(self, turn: Turn, parse: dict[str, Any], text: str) -> dict[str, Any]:
        """Slot values this message offers to the active form (Rasa slot mappings)."""
        form, requested = turn.active_loop, turn.slots.get("requested_slot")
        entities: dict[tuple[str, str | None], Any] = {}  # (entity, role) → first value
        for entity in parse["entities"]:
            entities.setdefault((entity["entity"], entity.get("role")), entity["value"])
        found: dict[str, Any] = {}
        used: set[tuple[str, str | None]] = set()
        raw_text_slot = None
        slots = list(self.domain.forms.get(form or "", ()))
        if requested in slots:  # the question asked gets the first pick of the entities
            slots.remove(requested)
            slots.insert(0, requested)
        for slot in slots:
            for mapping in self.domain.mappings.get(slot, ()):
                if mapping.active_loop not in (None, form) or slot in found:
                    continue
                key = (str(mapping.entity), mapping.role)
                if (mapping.kind == "from_entity" and key in entities and key not in used
                        and mapping.requested_slot in (None, requested)):
                    found[slot] = entities[key]
                    used.add(key)
                elif (mapping.kind == "from_text" and slot == requested and text
                      and (not text.startswith("/") or text == SKIP_PAYLOAD)):
                    kind = "date" if slot in DATE_SLOTS else "amount" if (
                        slot in AMOUNT_SLOTS) else None
                    said = next((k for k in entities if k[0] == kind and k not in used), None)
                    if said is not None:
                        found[slot] = entities[said]
                        used.add(said)
                    else:
                        found[slot] = text.strip()[:200]
                        raw_text_slot = slot
        if raw_text_slot and len(found) > 1:
            # "non, 1 500 €" corrects another answer: it is not the answer to this question.
            del found[raw_text_slot]
        return found

    async def _run_form(self, turn: Turn, candidates: dict[str, Any]) -> None:
        form = str(turn.active_loop)
        for name, value in candidates.items():
            turn.set_slot(name, value)
        # Validation runs every turn, as in Rasa: it checks the new values and, when the
        # action overrides required_slots, names the next slot to ask (None: complete).
        events = await self.run_action(turn, f"validate_{form}")
        if turn.active_loop != form:  # the validation action ended the form
            return
        chosen = [e for e in events if e.get("event") == "slot"
                  and e.get("name") == "requested_slot"]
        if chosen:
            missing = [chosen[-1]["value"]] if chosen[-1]["value"] else []
        else:
            missing = [s for s in self.domain.forms[form] if turn.slots.get(s) is None]
        if missing:
            turn.set_slot("requested_slot", missing[0])
            self._ask(turn, missing[0])
            return
        await self._submit(turn, form)

    async def _submit(self, turn: Turn, form: str) -> None:
        """The form ends: its submit action runs with the answers it has."""
        turn.active_loop = None
        turn.set_slot("requested_slot", None)
        turn.events.append({"event": "active_loop", "name": None})
        await self.run_action(turn, self.domain.submit_actions[form])

    def _pressed(self, turn: Turn, text: str) -> str:
        """A button's title typed instead of pressed ("je ne sais pas" under [Je ne sais
        pas]) is the button's payload: otherwise the NLU may hear something else (help). In
        a form, the question's buttons; outside, those of the last reply (« c'est fait »
        under a letter's [C'est fait])."""
        requested = turn.slots.get("requested_slot")
        if len(text) > MAX_TITLE or text.startswith("/"):
            return text
        if not turn.active_loop:
            last = turn.slots.get("last_buttons")
            return title_payload(last, text) if isinstance(last, dict) and last else text
        if not requested:
            return text
        key = (str(requested), turn.language)
        titles = self._titles.get(key)
        if titles is None:
            template, buttons = self.domain.ask(key[0])
            rendered = self.render(template, turn.language, {}, buttons)["buttons"]
            titles = self._titles[key] = {plain(b["title"]): str(b["payload"])
                                          for b in rendered}
        return title_payload(titles, text)

    def _ask(self, turn: Turn, slot: str) -> None:
        template, buttons = self.domain.ask(slot)
        self._say(turn, template, {}, buttons)

    def _say(self, turn: Turn, template: str, context: dict[str, Any],
             buttons: Sequence[tuple[str, str]]) -> None:
        turn.responses.append(self.render(template, turn.language, context, buttons))

    async def run_action(self, turn: Turn, name: str, depth: int = 0) -> list[dict[str, Any]]:
        """Run one action in-process with the payload a Rasa server would post; apply its
        events; follow a FollowupAction (a form is activated)."""
        payload = {"next_action": name, "sender_id": f"owner:{turn.owner_id}",
                   "tracker": turn.as_tracker(), "domain": self.domain.raw,
                   "version": "3.21.1"}
        result = await self.executor.run(payload)
        turn.events.append({"event": "action", "name": name})
        if result is None:
            return []
        turn.responses.extend(result.responses)
        followup = None
        for event in result.events:
            turn.events.append(event)
            if event.get("event") == "slot":
                turn.slots[event["name"]] = event["value"]
            elif event.get("event") == "active_loop":
                turn.active_loop = event.get("name")
            elif event.get("event") == "followup":
                followup = str(event["name"])
        if followup and depth < MAX_FOLLOWUPS:
            if followup in self.domain.forms:
                turn.active_loop = followup
                turn.events.append({"event": "active_loop", "name": followup})
                await self._run_form(turn, {})
            else:
                await self.run_action(turn, followup, depth + 1)
        return list(result.events)
