"""The owner's account: settings (language, nudges), export of everything, erase on request."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.base import say
from actions.context import current
from actions.invoices import entity
from actions.nudge_planner import replan_owner
from domain.ledger import erase_owner, export_owner, get_owner, update_owner_profile


def attachment(filename: str, mime_type: str, content: bytes) -> dict[str, str]:
    """A file for the channel (rasa-sdk carries it as the response's `attachment`)."""
    return {"filename": filename, "mime_type": mime_type,
            "base64": base64.b64encode(content).decode("ascii")}


_PAUSE = re.compile(r"\b(?:pause|d[ée]sactive|coupe|arr[eê]te|stoppe?|stop|turn off|mute)\b",
                    re.IGNORECASE)
_RESUME = re.compile(r"\b(?:r[ée]active|reprends?|remets?|rallume|resume|turn (?:back )?on"
                     r"|back on)\b", re.IGNORECASE)
_REMINDERS = re.compile(r"\b(?:rappels?|relances?|notifications?|reminders?|nudges?)\b",
                        re.IGNORECASE)
_LANGUAGE = {"en": re.compile(r"\b(?:anglais|english)\b", re.IGNORECASE),
             "fr": re.compile(r"\b(?:fran[cç]ais|french)\b", re.IGNORECASE)}


def said_settings(text: str) -> dict[str, str]:
    """What a typed settings request asks (« mets les rappels en pause », « réactive les
    rappels », « passe en anglais »), as the buttons' payloads would."""
    if text.startswith("/"):
        return {}
    said: dict[str, str] = {}
    if _REMINDERS.search(text):
        if _RESUME.search(text):
            said["nudges"] = "resume"
        elif _PAUSE.search(text):
            said["nudges"] = "pause"
    languages = [code for code, words in _LANGUAGE.items() if words.search(text)]
    if len(languages) == 1:
        said["language"] = languages[0]
    return said


class ActionSettings(Action):
    def name(self) -> str:
        return "action_settings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        changes: dict[str, Any] = {}
        said = said_settings(str(tracker.latest_message.get("text") or ""))
        language, nudges = entity(tracker, "language") or said.get("language"), entity(
            tracker, "nudges") or said.get("nudges")
        if language in ("fr", "en"):
            changes["language"] = language
        if nudges in ("pause", "resume"):
            changes["nudges_paused"] = nudges == "pause"

        def apply(session: Session) -> dict[str, Any]:
            owner = (update_owner_profile(session, owner_id, changes) if changes
                     else get_owner(session, owner_id))
            if changes.get("nudges_paused") is False:  # back on: plan from now
                replan_owner(ctx, session, owner_id, ctx.now(tracker))
            return {"business_name": owner.business_name or "", "address": owner.address or "",
                    "language": owner.language.value,
                    "nudges_paused": owner.nudges_paused, "timezone": owner.timezone,
                    "digest_time": owner.digest_time, "changed": bool(changes)}

        profile = await ctx.db(apply)
        events = [SlotSet("language", profile["language"])] if "language" in changes else []
        tracker.slots["language"] = profile["language"]
        say(dispatcher, tracker, "settings", profile, buttons=[
            ("lang_en", '/settings{"language":"en"}') if profile["language"] == "fr"
            else ("lang_fr", '/settings{"language":"fr"}'),
            ("nudges_resume", '/settings{"nudges":"resume"}') if profile["nudges_paused"]
            else ("nudges_pause", '/settings{"nudges":"pause"}'),
            ("my_address", "/set_my_address")])
        return events


def invoices_csv(data: dict[str, Any]) -> bytes:
    """The owner's invoices as CSV, cells that a spreadsheet would run neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    columns = ["number", "client_id", "amount", "paid_amount", "invoice_date", "due_date",
               "status"]
    writer.writerow(columns)
    for row in data.get("invoices", []):
        writer.writerow([_safe(row.get(c)) for c in columns])
    return out.getvalue().encode("utf-8-sig")


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ActionExportData(Action):
    def name(self) -> str:
        return "action_export_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        data = await ctx.db(lambda s: export_owner(s, owner_id), write=False)
        blob = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")
        say(dispatcher, tracker, "export_ready", {"invoices": len(data.get("invoices", []))})
        dispatcher.utter_message(attachment=attachment("relance-export.json",
                                                       "application/json", blob))
        dispatcher.utter_message(attachment=attachment("relance-factures.csv", "text/csv",
                                                       invoices_csv(data)))
        return []


class ActionForgetMe(Action):
    def name(self) -> str:
        return "action_forget_me"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        if entity(tracker, "confirm") == "no":
            say(dispatcher, tracker, "nothing_changed")
            return []
        if entity(tracker, "confirm") != "yes":
            say(dispatcher, tracker, "forget_confirm", {},
                buttons=[("forget_yes", '/forget_me{"confirm":"yes"}'),
                         ("forget_no", '/forget_me{"confirm":"no"}')])
            return []
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        counts = await ctx.db(lambda s: erase_owner(s, owner_id))
        say(dispatcher, tracker, "forgotten", {"rows": sum(counts.values())})
        return [SlotSet("invoice_id", None)]
