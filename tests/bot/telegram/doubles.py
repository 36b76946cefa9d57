"""A deterministic stand-in for the dialogue layer's Assistant, and an offline Bot API."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.replies import Attachment, Button, Incoming, OwnerKey, Reply

LONG_PAYLOAD = '/log_call{"outcome": "voicemail", "client": "Établissements Dupont & Fils SARL"}'


class ScriptedAssistant:
    """Answers by keyword; every answer names the owner, so mixed-up chats show."""

    def __init__(self, slow_seconds: float = 0.8) -> None:
        self.slow_seconds = slow_seconds
        self.seen: list[tuple[OwnerKey, Incoming]] = []  # as said, update ids aside
        self.update_ids: list[int | None] = []

    def busy_reply(self, lang: str | None, *, giving_up: bool = False,
                   reason: str = "") -> Reply:
        return Reply("abandon" if giving_up else "un instant")

    async def handle(self, owner: OwnerKey, incoming: Incoming) -> list[Reply]:
        self.update_ids.append(incoming.update_id)
        self.seen.append((owner, replace(incoming, update_id=None)))
        who = owner.external_id
        if incoming.attachment is not None:
            file = incoming.attachment
            return [Reply(f"fichier {file.filename} ({len(file.content)} octets) pour {who}")]
        if incoming.is_payload:
            return [Reply(f"payload {incoming.text} pour {who}")]
        text = incoming.text
        if text == "boutons":
            return [Reply(f"<b>Dupont</b> a-t-il payé ? ({who})", buttons=(
                Button("Oui", '/mark_paid{"invoice": 12}'),
                Button("Non", "/deny"),
                Button("Messagerie", LONG_PAYLOAD),
            ))]
        if text == "long":
            paragraph = "<b>Facture</b> n° 42 &amp; relance : " + "texte " * 150
            return [Reply("\n\n".join(f"{i}. {paragraph}" for i in range(12)))]
        if text == "export":
            csv = Attachment("export.csv", b"client;montant\nDupont;1250.00\n", "text/csv",
                             caption="Votre export")
            return [Reply("Voici l'export.", attachment=csv)]
        if text == "lent":
            await asyncio.sleep(self.slow_seconds)
            return [Reply(f"enfin ({who})")]
        if text == "boom":
            raise RuntimeError("the dialogue layer crashed")
        return [Reply(f"echo {text} pour {who}")]


BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "Relance", "username": "relance_bot"}


class RecordingRequest(BaseRequest):
    """No network: answers like Telegram would, records every call, fails on demand."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: list[tuple[str, int, dict[str, Any]]] = []  # method, status, body
        self.files: dict[str, bytes] = {}
        self._next_id = 1000

    def fail_next(self, method: str, status: int, description: str, **parameters: Any) -> None:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self.failures.append((method, status, body))

    def sent(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            return 200, self.files[url.rsplit("/", 1)[-1]]
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if request_data and request_data.multipart_data:
            for field, (filename, content, mime) in request_data.multipart_data.items():
                params[field] = {"filename": filename, "content": content, "mime_type": mime}
        self.calls.append((name, params))
        for index, (failing, status, body) in enumerate(self.failures):
            if failing == name:
                del self.failures[index]
                return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT_USER
        if name == "getFile":
            return {"file_id": params["file_id"], "file_unique_id": "u", "file_size": 3,
                    "file_path": params["file_id"]}
        if name in {"sendMessage", "sendDocument", "editMessageReplyMarkup"}:
            self._next_id += 1
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or self._next_id),
                "date": 0, "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER, "text": params.get("text", ""),
            }
            return message
        return True
