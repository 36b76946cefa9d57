"""PTB's HTTP transport on aiohttp instead of httpx.

Measured against the local fake Bot API (bench/README.md): httpx spends 1.0 ms of CPU per
sendMessage one at a time and 2.0 ms with 50 in flight (its pool bookkeeping); this
transport spends about a third of that, and the bot is CPU-bound under load. Same contract
as `telegram.request.HTTPXRequest`: (status, body) back, PTB turns statuses into errors;
timeouts become `TimedOut`, connection failures `NetworkError`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import orjson
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.logging_setup import redact
from bot.telegram.ordering import Intake

_JSON = {"Content-Type": "application/json"}


def _seconds(value: object, default: float | None) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    return None if value is None else default


def _proxy(url: str) -> str | None:
    parts = urlsplit(url)
    return _proxy_for(parts.scheme, parts.hostname or "")


@lru_cache(maxsize=64)
def _proxy_for(scheme: str, host: str) -> str | None:
    """HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, unless NO_PROXY names the host (as httpx does)."""
    if not host or proxy_bypass(host):
        return None
    proxies = getproxies()
    return proxies.get(scheme) or proxies.get("all") or None


class AiohttpRequest(BaseRequest):
    """One `aiohttp.ClientSession` (keep-alive pool of `connection_pool_size`)."""

    def __init__(self, connection_pool_size: int = 256, *, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0
                 ) -> None:
        self._pool_size = connection_pool_size
        self._read, self._write = read_timeout, write_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Every answer of the Bot API is parsed here (PTB's documented hook for another
        JSON library): orjson, ~2.5× the standard module; anything it refuses goes to
        PTB's own parser, which raises PTB's error for invalid JSON."""
        try:
            return orjson.loads(payload)  # type: ignore[no-any-return]
        except orjson.JSONDecodeError:
            return BaseRequest.parse_json_payload(payload)

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # trust_env=False: aiohttp would read ~/.netrc and the proxy variables again for
            # every request, in a worker thread (12 % of the bot's thread time under load).
            # The proxy variables are read here instead, once per host (`_proxy`).
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT}, trust_env=False)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = _seconds(read_timeout, self._read)
        connect = _seconds(connect_timeout, self._connect)
        pool = _seconds(pool_timeout, self._pool)
        write = _seconds(write_timeout, self._media_write if files else self._write)
        # aiohttp has no write timeout of its own: the whole exchange is bounded by the sum.
        parts = [t for t in (read, write, connect, pool) if t is not None]
        timeout = aiohttp.ClientTimeout(
            total=sum(parts) if len(parts) == 4 else None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect, sock_read=read)
        body: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] | None = None
        if files:
            form = aiohttp.FormData()
            for name, value in (request_data.json_parameters if request_data else {}).items():
                form.add_field(name, value)
            for name, (filename, content, mime_type) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime_type)
            body = form
        elif request_data is not None:
            # As JSON (the Bot API takes application/json but for uploads): PTB's own
            # RequestData.json_payload, encoded by orjson. Form-encoding the same parameters
            # quoted every byte in Python, ~20 % of a sendMessage's CPU.
            body, headers = orjson.dumps(request_data.json_parameters), _JSON
        try:
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout, proxy=_proxy(url)) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:  # its text may hold the URL: not the token
            raise NetworkError(f"aiohttp.{type(exc).__name__}: "
                               f"{redact(str(exc))}") from exc


class PollingRequest(AiohttpRequest):
    """The long-polling client: each getUpdates waits until the bot has room
    (`bot.telegram.ordering.Intake`) and counts the updates it brought."""

    def __init__(self, intake: Intake) -> None:
        super().__init__(connection_pool_size=1)
        self.intake = intake

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any
                         ) -> tuple[int, bytes]:
        polling = url.endswith("/getUpdates")
        if polling:
            await self.intake.room()
        status, payload = await super().do_request(url, method, *args, **kwargs)
        if polling and status == 200:
            # One "update_id" key per update: quotes inside texts arrive escaped (\").
            self.intake.took(payload.count(b'"update_id"'))
        return status, payload
