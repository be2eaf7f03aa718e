"""Issue 32 on the phone server: each phone is answered in its own language — the page, every
JSON error and every vote answer, including why voting is closed — chosen by `?lang=`, else its
Accept-Language, else the lesson's language (the projector's --lang). English phones get the
English they always did."""

from __future__ import annotations

import aiohttp
import pytest

from simulator.classroom.phones import PhoneHub, PhoneOption
from simulator.classroom.web.limits import Limits
from simulator.classroom.web.server import PhoneServer, bind
from simulator.engine import i18n
from tests.e2e.test_welsh_plain import english_in

DEVICE = "a" * 32
CY = {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-GB"}


@pytest.fixture
async def served():
    hub = PhoneHub(code="K7PX4Q", title="Kettle", teams=[])
    sock, address = bind("127.0.0.1", 0)
    server = PhoneServer(hub, sock, address, Limits(wrong_codes=3, per_device_burst=30))
    await server.start()
    hub.new_round(customer="Ann", line="Mae wedi torri.", options=[PhoneOption(1, "Sori!")])
    async with aiohttp.ClientSession(base_url=address.url) as http:
        yield hub, http
    await server.stop()


async def vote(http, headers, **body):
    body = {"code": "K7PX4Q", "device": DEVICE, **body}
    async with http.post("/api/vote", json=body, headers=headers) as r:
        return await r.json()


async def error(http, headers, path="/api/state", **params):
    async with http.get(path, params=params, headers=headers) as r:
        return r.status, (await r.json())["error"]


async def test_errors_and_vote_answers_in_the_phones_language(served):
    hub, http = served
    said = []
    status, text = await error(http, CY)  # no join code
    assert status == 403 and text == "Nid yw'r cod ymuno hwnnw'n gywir: edrychwch ar y taflunydd."
    said.append(text)
    status, text = await error(http, CY, code="K7PX4Q", device="short")
    assert status == 400 and "ail-lwythwch y dudalen" in text
    said.append(text)
    status, text = await error(http, CY, path="/nowhere")
    assert status == 404 and text == "Heb ei ganfod"
    said.append(text)
    answer = await vote(http, CY, round=1, option=1)
    assert answer["message"] == "Pleidlais wedi'i chyfrif: opsiwn 1."
    said.append(answer["message"])
    said.append((await vote(http, CY, round=1, option=1))["message"])
    said.append((await vote(http, CY, round=1, option=7))["message"])
    said.append((await vote(http, CY, round=9, option=1))["message"])
    hub.close(i18n.N_("the tutor is revealing"))
    answer = await vote(http, CY, round=1, option=1)
    assert answer["message"] == "Mae'r bleidlais wedi cau: mae'r tiwtor yn datgelu"
    said.append(answer["message"])
    assert [s for s in said if english_in(s)] == []
    # The same phone asking in English is answered as it always was.
    answer = await vote(http, EN, round=1, option=1)
    assert answer["message"] == "Voting is closed: the tutor is revealing"
    assert (await error(http, EN))[1] == "That join code is not right: check the projector."


async def test_a_phone_asking_for_neither_language_gets_the_lessons(served):
    _hub, http = served
    fr = {"Accept-Language": "fr-FR,fr;q=0.9"}
    assert (await error(http, fr))[1] == "That join code is not right: check the projector."
    i18n.set_default("cy")  # the projector was started with --lang cy (the process's language)
    try:
        assert (await error(http, fr))[1].startswith("Nid yw'r cod ymuno")
        async with http.get("/", headers=fr) as r:
            assert 'lang="cy"' in await r.text()
        async with http.get("/", headers=EN) as r:  # a phone that asks for English gets it
            assert 'lang="en-GB"' in await r.text()
        assert (await error(http, {}, lang="en"))[1].startswith("That join code")
    finally:
        i18n.set_default(None)
