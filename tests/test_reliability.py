"""Under load, abuse and faults, against a real uvicorn on 127.0.0.1.

Many clients at once never get each other's answers; hostile User-Agents (up
to 1 MB) never stop the server answering others; a client that hangs up mid
response leaves the server well.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from uagate.testing import CHROME, FIREFOX, GOOGLEBOT, IE6, IE11, OUTLOOK, SAFARI_IPHONE

from .conftest import free_port, running_server

HEADING = "<h1>We don't support Internet Explorer</h1>"
GATED = {IE11, IE6, OUTLOOK}
MIXED = [IE11, CHROME, GOOGLEBOT, FIREFOX, IE6, SAFARI_IPHONE, OUTLOOK]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A uvicorn (httptools) serving tests.server_app:app; its URL and its log file."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "tests.server_app:app", "--http", "httptools"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    log = tmp_path_factory.mktemp("uvicorn") / "server.log"
    url = f"http://127.0.0.1:{port}"
    with running_server(command, url + "/echo", log):
        yield url, log


LANGUAGES = ["de", "fr", "es", "it", "nl", "pt-BR", "ja", "ko", "zh-Hant"]


def language_of(request_id: str) -> str:
    """The Accept-Language a request sends: gated answers must come back in it."""
    return LANGUAGES[sum(map(ord, request_id)) % len(LANGUAGES)]


def check_answer(user_agent: str, request_id: str, response: httpx.Response) -> None:
    """The answer is this request's: for IE-like clients the page in its language, else its echo."""
    if user_agent in GATED:
        assert response.status_code == 406
        assert response.headers["content-language"] == language_of(request_id)
        assert "Internet Explorer" in response.text
    else:
        assert response.status_code == 200
        assert response.text == f"{request_id}\n{user_agent}"


def test_two_thousand_requests_over_fifty_connections_never_cross(
    server: tuple[str, Path],
) -> None:
    """2,000 mixed IE, Chrome and bot requests on 50 connections: no error, no cross-talk."""
    url, _ = server

    async def run() -> list[tuple[str, str, httpx.Response]]:
        limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
        in_flight = asyncio.Semaphore(50)  # one request per connection at a time
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:

            async def one(index: int, user_agent: str) -> tuple[str, str, httpx.Response]:
                request_id = f"request-{index}"
                headers = {
                    "User-Agent": user_agent,
                    "X-Request-Id": request_id,
                    "Accept-Language": language_of(request_id),
                }
                async with in_flight:
                    response = await client.get(url + "/echo", headers=headers)
                return user_agent, request_id, response

            agents = itertools.cycle(MIXED)
            return await asyncio.gather(*(one(i, next(agents)) for i in range(2000)))

    answers = asyncio.run(run())
    assert len(answers) == 2000
    for user_agent, request_id, response in answers:
        check_answer(user_agent, request_id, response)


# Each hostile value, and what the gate decides for it: the IE-looking ones are gated,
# the rest pass ("MSIE MSIE ..." carries no version, so it is no IE).
HOSTILE = [
    (b"Mozilla/4.0 (compatible; MSIE 6.0;" + b";" * 65_536, 406),
    (b"(" * 65_536, 200),
    (b"MSIE " * 13_000 + b"6.0", 200),
    (b"Mozilla/5.0 (Windows NT 10.0; Trident/" + b"9" * 60_000, 406),
    (b"Mozilla/5.0 " + b"x" * 1_048_576, 200),  # 1 MB
    (b"Mozilla/4.0 (compatible; MSIE 6.0; " + b"(;" * 524_288, 406),  # 1 MB, IE within the cap
]


def test_hostile_user_agents_do_not_stop_the_server_answering_others(
    server: tuple[str, Path],
) -> None:
    """While hostile User-Agents (64 KB to 1 MB) arrive, other clients still get their answers."""
    url, _ = server
    statuses: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def attack() -> None:
        with httpx.Client(timeout=30) as client:
            for value, expected in HOSTILE * 4:  # bounded: 24 hostile requests
                try:
                    response = client.get(url + "/", headers=[(b"user-agent", value)])
                    statuses.append((response.status_code, expected))
                except httpx.HTTPError as exc:
                    errors.append(exc)

    attacker = threading.Thread(target=attack)
    attacker.start()
    try:
        with httpx.Client(timeout=30) as client:
            for index in range(60):
                user_agent = MIXED[index % len(MIXED)]
                headers = {
                    "User-Agent": user_agent,
                    "X-Request-Id": str(index),
                    "Accept-Language": language_of(str(index)),
                }
                check_answer(user_agent, str(index), client.get(url + "/echo", headers=headers))
    finally:
        attacker.join(timeout=60)
    assert not attacker.is_alive()
    assert errors == []
    # Every hostile request was decided, as it should be, and none broke the server.
    assert [got for got, _ in statuses] == [expected for _, expected in statuses]
    assert len(statuses) == len(HOSTILE) * 4
    after = httpx.get(url + "/echo", headers={"User-Agent": CHROME, "X-Request-Id": "after"})
    check_answer(CHROME, "after", after)


def test_a_client_that_hangs_up_mid_response_leaves_the_server_well(
    server: tuple[str, Path],
) -> None:
    """A client that closes the connection after the first chunk: the next requests are fine."""
    url, log = server
    with (
        httpx.Client(timeout=10) as client,
        client.stream("GET", url + "/stream", headers={"User-Agent": CHROME}) as response,
    ):
        assert next(response.iter_raw()) == b"first chunk\n"
    # The connection is closed with the response unfinished; the app's stream is
    # still waiting for /release, which now lets it end.
    assert httpx.get(url + "/release").text == "released"
    for user_agent in (IE11, CHROME):
        headers = {
            "User-Agent": user_agent,
            "X-Request-Id": "next",
            "Accept-Language": language_of("next"),
        }
        check_answer(user_agent, "next", httpx.get(url + "/echo", headers=headers))
    assert "uagate" not in log.read_text()  # nothing went wrong in the gate
