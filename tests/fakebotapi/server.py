"""A local fake Telegram Bot API server for tests, and the handle tests drive it with.

`FakeBotApi` runs an aiohttp server on 127.0.0.1 (a free port) in a background thread with
its own event loop, so a test can drive a bot running in-process or in another process.
The bot posts to `/bot<token>/<method>` (form-encoded or multipart) and downloads files from
`/file/bot<token>/<path>`; updates are served by long-polling `getUpdates` or, once a webhook
is set, POSTed to it with the `X-Telegram-Bot-Api-Secret-Token` header, like Telegram does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakebotapi.methods import METHODS, Files, Params, chat_id_of, decode_params
from tests.fakebotapi.state import BOT_USER, Call, Fault, FaultKind, SentMessage, State
from tests.fakebotapi.validation import ApiError

log = logging.getLogger(__name__)
DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmnop"


class FakeBotApi:
    """Start with `start()` (or `with FakeBotApi() as api:`), point the bot at `base_url`."""

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.state = State(token)
        self.port = 0
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping = False
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._delivery: asyncio.Task[None] | None = None

    # -- life cycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(BOT_USER)

    def start(self) -> FakeBotApi:
        self._thread = threading.Thread(target=self._run, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake Bot API did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._stopping = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._serve())
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(self._cleanup())
        loop.close()

    async def _serve(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._delivery = asyncio.create_task(self._deliver_to_webhook())

    async def _cleanup(self) -> None:
        assert self._new_update is not None
        self._new_update.set()  # wakes long polls so they answer at once
        if self._delivery:
            self._delivery.cancel()
        if self._runner:
            await self._runner.cleanup()

    # -- the test side: owners act ----------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (an `update_id` is added); returns its update_id."""
        with self.state.lock:
            update_id = next(self.state.update_ids)
            self.state.pending.append({"update_id": update_id, **update})
            self.state.changed.notify_all()
        self._wake()
        return update_id

    def push_text(
        self, chat_id: int, text: str, user_id: int | None = None, language_code: str = "fr"
    ) -> int:
        message = self._user_message(chat_id, user_id, language_code)
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push_update({"message": message})

    def push_document(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        mime_type: str = "text/csv",
        caption: str | None = None,
        user_id: int | None = None,
        language_code: str = "fr",
    ) -> int:
        with self.state.lock:
            suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
            stored = self.state.store_file(content, "documents", suffix)
        message = self._user_message(chat_id, user_id, language_code)
        message["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        if caption:
            message["caption"] = caption
        return self.push_update({"message": message})

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        user_id: int | None = None,
        language_code: str = "fr",
        check: bool = True,
    ) -> int:
        """Press a button of a bot message. The callback query id is str(update_id).

        With `check=False` the data need not be on the message (a forged or stale press).
        """
        with self.state.lock:
            raw = self.state.raw_messages.get((chat_id, message_id))
            if raw is None:
                raise KeyError(f"no bot message {message_id} in chat {chat_id}")
            sent = next(m for m in self.state.messages[chat_id] if m.message_id == message_id)
            offered = {data for row in sent.buttons for _, data in row}
            if check and callback_data not in offered:
                raise KeyError(f"{callback_data!r} is not a button of message {message_id}")
            update_id = next(self.state.update_ids)
            query_id = str(update_id)
            self.state.callback_queries[query_id] = {}
            self.state.pending.append(
                {
                    "update_id": update_id,
                    "callback_query": {
                        "id": query_id,
                        "from": self._user(chat_id, user_id, language_code),
                        "message": raw,
                        "chat_instance": f"ci{chat_id}",
                        "data": callback_data,
                    },
                }
            )
            self.state.changed.notify_all()
        self._wake()
        return update_id

    def _user(self, chat_id: int, user_id: int | None, language_code: str) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id or chat_id, "is_bot": False, "first_name": "Owner"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _user_message(
        self, chat_id: int, user_id: int | None, language_code: str
    ) -> dict[str, Any]:
        with self.state.lock:
            message_id = self.state.new_message_id(chat_id)
        return {
            "message_id": message_id,
            "from": self._user(chat_id, user_id, language_code),
            "chat": {"id": chat_id, "type": "private", "first_name": "Owner"},
            "date": int(time.time()),
        }

    def _wake(self) -> None:
        if self._loop is not None and self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)

    # -- the test side: faults --------------------------------------------------------------

    def inject_fault(
        self,
        method: str,
        kind: FaultKind | str,
        times: int | None = 1,
        *,
        retry_after: int = 1,
        delay: float = 6.0,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `times` calls of `method` ("*": any) fail; `times=None`: until cleared.

        Kinds: "429" (with `retry_after`), "502", "timeout" (answers after `delay` seconds,
        nothing is delivered), "403" (bot blocked by the user; usually with `chat_id`).
        """
        with self.state.lock:
            self.state.faults.append(
                Fault(method, FaultKind(kind), times, retry_after, delay, chat_id)
            )

    def clear_faults(self) -> None:
        with self.state.lock:
            self.state.faults.clear()

    # -- the test side: what happened -------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self.state.lock:
            return [c for c in self.state.calls if method is None or c.method == method]

    def commands(self, language_code: str = "") -> list[dict[str, str]]:
        with self.state.lock:
            return list(self.state.commands.get(language_code, []))

    @property
    def webhook(self) -> dict[str, Any] | None:
        with self.state.lock:
            return dict(self.state.webhook) if self.state.webhook else None

    def messages(self, chat_id: int) -> list[SentMessage]:
        with self.state.lock:
            return list(self.state.messages.get(chat_id, []))

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """The next `count` messages the bot sent to `chat_id` that no earlier call returned."""
        with self.state.lock:
            start = self.state.read_cursor.get(chat_id, 0)

            def enough() -> bool:
                return len(self.state.messages.get(chat_id, [])) >= start + count

            if not self.state.changed.wait_for(enough, timeout):
                got = [m.text[:80] for m in self.state.messages.get(chat_id, [])[start:]]
                raise AssertionError(f"chat {chat_id}: wanted {count} new messages, got {got}")
            self.state.read_cursor[chat_id] = start + count
            return self.state.messages[chat_id][start : start + count]

    def wait_for_callback_answer(self, update_id: int, timeout: float = 5.0) -> dict[str, Any]:
        with self.state.lock:
            query_id = str(update_id)
            if not self.state.changed.wait_for(
                lambda: bool(self.state.callback_queries.get(query_id)), timeout
            ):
                raise AssertionError(f"callback query {query_id} was not answered")
            return dict(self.state.callback_queries[query_id])

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("condition not met in time")
            time.sleep(0.02)

    def pending_updates(self) -> list[int]:
        with self.state.lock:
            return [u["update_id"] for u in self.state.pending]

    # -- the HTTP side ----------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        name = next((m for m in [*METHODS, "getUpdates"] if m.lower() == method.lower()), None)
        try:
            params, files = await _read_params(request)
        except ApiError as exc:
            return _error(exc)
        chat_id = chat_id_of(params)
        with self.state.lock:
            fault = self.state.take_fault(name or method, chat_id)
        if name is None:
            self._record(method, params, files, 404)
            return _error(ApiError(404, "Not Found"))
        if fault is not None:
            return await self._answer_fault(name, params, files, fault)
        try:
            if name == "getUpdates":
                result = await self._get_updates(params)
            else:
                with self.state.lock:
                    result = METHODS[name](self.state, params, files)
        except ApiError as exc:
            self._record(name, params, files, exc.code)
            return _error(exc)
        self._record(name, params, files, 200)
        return web.json_response({"ok": True, "result": result})

    async def _answer_fault(
        self, name: str, params: Params, files: Files, fault: Fault
    ) -> web.StreamResponse:
        if fault.kind is FaultKind.RETRY_AFTER:
            self._record(name, params, files, 429)
            return _error(
                ApiError(
                    429,
                    f"Too Many Requests: retry after {fault.retry_after}",
                    {"retry_after": fault.retry_after},
                )
            )
        if fault.kind is FaultKind.BLOCKED:
            self._record(name, params, files, 403)
            return _error(ApiError(403, "Forbidden: bot was blocked by the user"))
        if fault.kind is FaultKind.BAD_GATEWAY:
            self._record(name, params, files, 502)
            return web.Response(
                status=502, text="<html><body>502 Bad Gateway</body></html>",
                content_type="text/html",
            )
        self._record(name, params, files, 504)
        await asyncio.sleep(fault.delay)
        return _error(ApiError(504, "Gateway Timeout"))

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        assert self._loop is not None and self._new_update is not None
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = self._loop.time() + float(params.get("timeout") or 0)
        while True:
            self._new_update.clear()
            with self.state.lock:
                if self.state.webhook:
                    raise ApiError(
                        409,
                        "Conflict: can't use getUpdates method while webhook is active; "
                        "use deleteWebhook to delete the webhook first",
                    )
                pending = self.state.pending
                if offset > 0:  # confirms every update before `offset`, like Telegram
                    pending[:] = [u for u in pending if u["update_id"] >= offset]
                    self.state.changed.notify_all()
                batch = pending[offset:] if offset < 0 else pending[:limit]
            remaining = deadline - self._loop.time()
            if batch or remaining <= 0 or self._stopping:
                return batch
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except TimeoutError:
                pass

    async def _deliver_to_webhook(self) -> None:
        """POST pending updates, oldest first, to the webhook; a 2xx answer confirms one."""
        assert self._new_update is not None
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while True:
                with self.state.lock:
                    hook = self.state.webhook
                    update = self.state.pending[0] if hook and self.state.pending else None
                if update is None or hook is None:
                    await asyncio.sleep(0.05)
                    continue
                headers = {"Content-Type": "application/json"}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
                try:
                    async with session.post(hook["url"], json=update, headers=headers) as answer:
                        status = answer.status
                except (aiohttp.ClientError, TimeoutError):
                    status = 0
                self.webhook_deliveries.append((update["update_id"], status))
                if 200 <= status < 300:
                    with self.state.lock:
                        self.state.pending[:] = [
                            u for u in self.state.pending if u is not update
                        ]
                        self.state.changed.notify_all()
                else:
                    await asyncio.sleep(0.2)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        with self.state.lock:
            stored = next((f for f in self.state.files.values() if f.file_path == path), None)
        if stored is None:
            return web.Response(status=404)
        return web.Response(body=stored.content, content_type="application/octet-stream")

    def _record(self, method: str, params: Params, files: Files, status: int) -> None:
        summary = dict(params)
        for name, (filename, content, mime_type) in files.items():
            summary[name] = {"filename": filename, "size": len(content), "mime_type": mime_type}
        with self.state.lock:
            self.state.calls.append(Call(method, summary, time.monotonic(), status))
            self.state.changed.notify_all()


async def _read_params(request: web.Request) -> tuple[Params, Files]:
    params: Params = dict(request.query)
    files: Files = {}
    if request.content_type == "application/json":
        body = await request.text()
        if body:
            params.update(json.loads(body))
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read(), value.content_type)
            else:
                params[key] = value
    return decode_params(params), files


def _error(error: ApiError) -> web.Response:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": error.code,
        "description": error.description,
    }
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.code)
