"""Adapter: the EHR's FHIR API over HTTP (httpx), with SMART Backend Services tokens.

Every request carries the bearer token; a 401 gets one retry with a fresh token. 429, 5xx and
broken connections are retried with capped exponential backoff (``bulk.backoff_seconds``); what
stays wrong becomes an ``EhrError`` (its text names statuses and codes, never resource content).
NDJSON files are streamed line by line, never held whole in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from bonemet_puller import bulk
from bonemet_puller.auth import BackendServicesAuth
from bonemet_puller.errors import EhrError, EhrUnavailable

FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"
MAX_ATTEMPTS = 6
TRANSIENT = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Progress:
    """The export is still running: wait this long before asking again."""

    retry_after: str | None
    progress: str | None


Sleep = Callable[[float], Any]


class Ehr:
    def __init__(
        self,
        http: httpx.AsyncClient,
        fhir_url: str,
        auth: BackendServicesAuth,
        *,
        backoff_cap_s: float = 60.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.http = http
        self.base = fhir_url.rstrip("/")
        self._auth = auth
        self._cap = backoff_cap_s
        self._sleep = sleep

    def url(self, path: str) -> str:
        return path if "://" in path else f"{self.base}/{path.lstrip('/')}"

    @asynccontextmanager
    async def _send(
        self, method: str, url: str, *, authorized: bool = True, stream: bool = False, **options: Any
    ) -> AsyncIterator[httpx.Response]:
        """One request with the token, one retry on 401, backoff on transient failures."""
        fresh_token_tried = False
        attempt = 0
        while True:
            attempt += 1
            headers = dict(options.pop("headers", None) or {})
            token = await self._auth.token() if authorized else None
            if token:
                headers["Authorization"] = f"Bearer {token}"
            options["headers"] = headers
            try:
                request = self.http.build_request(method, url, **options)
                response = await self.http.send(request, stream=stream)
            except httpx.TransportError as exc:
                if attempt >= MAX_ATTEMPTS:
                    raise EhrUnavailable(f"the EHR is unreachable ({type(exc).__name__})") from None
                await self._sleep(bulk.backoff_seconds(attempt, self._cap))
                continue
            if response.status_code == 401 and token and not fresh_token_tried:
                await response.aclose()
                self._auth.invalidate(token)
                fresh_token_tried = True
                continue
            if response.status_code in TRANSIENT and attempt < MAX_ATTEMPTS:
                wait = response.headers.get("retry-after")
                await response.aclose()
                await self._sleep(
                    bulk.wait_seconds(wait, self._cap, bulk.utc_now())
                    if wait
                    else bulk.backoff_seconds(attempt, self._cap)
                )
                continue
            try:
                yield response
            finally:
                await response.aclose()
            return

    async def get_json(self, path: str, *, params: Mapping[str, str] | None = None) -> tuple[int, Any]:
        async with self._send("GET", self.url(path), params=params, headers={"Accept": FHIR_JSON}) as response:
            await response.aread()
            return response.status_code, _json(response)

    async def kick_off(self, path: str, query: Mapping[str, str]) -> str:
        headers = {"Accept": FHIR_JSON, "Prefer": "respond-async"}
        async with self._send("GET", self.url(path), params=query, headers=headers) as response:
            await response.aread()
            location = response.headers.get("content-location")
            if response.status_code != 202 or not location:
                raise EhrError(
                    f"the export kick-off answered {response.status_code}{_codes(response)}", response.status_code
                )
            return str(location)

    async def poll(self, status_url: str) -> Progress | bulk.Manifest:
        async with self._send("GET", status_url, headers={"Accept": "application/json"}) as response:
            await response.aread()
            if response.status_code == 202:
                return Progress(response.headers.get("retry-after"), response.headers.get("x-progress"))
            if response.status_code == 200:
                try:
                    return bulk.read_manifest(_json(response))
                except bulk.ManifestError as exc:
                    raise EhrError(str(exc), 200) from None
            raise EhrError(
                f"the export's status answered {response.status_code}{_codes(response)}", response.status_code
            )

    async def cancel(self, status_url: str) -> None:
        async with self._send("DELETE", status_url) as response:
            await response.aread()

    @asynccontextmanager
    async def lines(self, url: str, *, authorized: bool) -> AsyncIterator[AsyncIterator[bytes]]:
        """The non-empty lines of an NDJSON file, as they arrive."""
        async with self._send("GET", url, authorized=authorized, stream=True, headers={"Accept": NDJSON}) as response:
            if response.status_code != 200:
                await response.aread()
                raise EhrError(
                    f"an export file answered {response.status_code}{_codes(response)}", response.status_code
                )

            async def stream() -> AsyncIterator[bytes]:
                async for line in response.aiter_lines():
                    if line.strip():
                        yield line.encode()

            yield stream()


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _codes(response: httpx.Response) -> str:
    body = _json(response)
    issues = body.get("issue") if isinstance(body, dict) else None
    codes = [str(i.get("code")) for i in issues or [] if isinstance(i, dict) and i.get("code")]
    return f" ({', '.join(codes[:3])})" if codes else ""
