"""The LTI 1.3 checks one by one (simulator/lti): each rule of the id_token's verification, the
once-only login, the tool's keys and their rotation, the score outbox. The store parts run on
SQLite and PostgreSQL. The whole flow against an independent platform is in
tests/e2e/test_lti_flow.py and test_lti_browser.py."""

from __future__ import annotations

import json
import time
import urllib.parse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from simulator.lti import claims as C
from simulator.lti.grades import queue_score, scores_url, send_scores
from simulator.lti.keys import KEEP_RETIRED, ToolKeys
from simulator.lti.launch import LaunchRefused, begin_login, verify_launch
from simulator.lti.platforms import (
    KeySetProblem,
    KeySets,
    RegistrationProblem,
    preset,
    registration,
)
from simulator.store import Store
from simulator.store.lti import LinkRecord, ags_outbox
from simulator.tooling.bounded_http import Reply

ISS = "https://vle.example.ac.uk"
CLIENT = "client-1"
DEPLOYMENT = "dep-1"
LAUNCH_URL = "https://ct.example/lti/launch"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


PLATFORM_KEY = _key()
OTHER_KEY = _key()


def jwks_of(*pairs: tuple[str, rsa.RSAPrivateKey]) -> dict:
    keys = []
    for kid, key in pairs:
        jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
    return {"keys": keys}


class Fetcher:
    """The platform's key set address, counted."""

    def __init__(self, keyset: dict) -> None:
        self.keyset, self.calls = keyset, 0

    def __call__(self, url: str) -> dict:
        self.calls += 1
        return self.keyset


@pytest.fixture
def store(location):
    s = Store(location)
    s.save_platform(
        registration(
            issuer=ISS,
            client_id=CLIENT,
            deployments=[DEPLOYMENT],
            auth_login_url=ISS + "/auth",
            auth_token_url=ISS + "/token",
            jwks_url=ISS + "/jwks",
        )
    )
    yield s
    s.close()


@pytest.fixture
def keysets():
    return KeySets(fetch=Fetcher(jwks_of(("k1", PLATFORM_KEY))))


def login(store) -> tuple[str, str]:
    """(state, nonce) of a login begun as the platform asks."""
    found = begin_login(
        store, {"iss": ISS, "login_hint": "u1", "target_link_uri": LAUNCH_URL}, LAUNCH_URL
    )
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(found.redirect).query))
    assert query["state"] == found.state and query["redirect_uri"] == LAUNCH_URL
    assert query["client_id"] == CLIENT and query["response_mode"] == "form_post"
    return found.state, query["nonce"]


def claims(nonce: str, /, **changes) -> dict:
    now = int(time.time())
    body = {
        "iss": ISS,
        "aud": CLIENT,
        "sub": "user-1",
        "iat": now,
        "exp": now + 300,
        "nonce": nonce,
        "name": "Sam Smith",
        C.MESSAGE_TYPE: C.RESOURCE_LINK_REQUEST,
        C.VERSION: "1.3.0",
        C.DEPLOYMENT_ID: DEPLOYMENT,
        C.RESOURCE_LINK: {"id": "rl-1"},
        C.CUSTOM: {"exercise": "faulty-toaster-day12", "mode": "assess"},
        C.AGS_ENDPOINT: {"scope": [C.AGS_SCORE_SCOPE], "lineitem": ISS + "/li/1"},
    }
    for k, v in changes.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    return body


def sign(body: dict, key=PLATFORM_KEY, kid: str = "k1", alg: str = "RS256") -> str:
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid})


def refused(store, keysets, token: str, state: str, cookie: str | None = "same") -> str:
    with pytest.raises(LaunchRefused) as caught:
        verify_launch(store, keysets, token, state, state if cookie == "same" else cookie)
    assert 400 <= caught.value.status < 600
    return caught.value.message


def test_a_good_launch_is_read_after_its_checks(store, keysets):
    state, nonce = login(store)
    launch = verify_launch(store, keysets, sign(claims(nonce)), state, state)
    assert (launch.issuer, launch.client_id, launch.deployment_id) == (ISS, CLIENT, DEPLOYMENT)
    assert launch.sub == "user-1" and launch.name == "Sam Smith"
    assert launch.custom == {"exercise": "faulty-toaster-day12", "mode": "assess"}
    assert launch.lineitem == ISS + "/li/1" and launch.resource_link_id == "rl-1"


def test_a_tampered_token_is_refused(store, keysets):
    state, nonce = login(store)
    head, body, sig = sign(claims(nonce)).split(".")
    forged = jwt.utils.base64url_encode(json.dumps(claims(nonce, sub="admin")).encode()).decode()
    assert "changed on the way" in refused(store, keysets, f"{head}.{forged}.{sig}", state)
    # and the login is still unused: the genuine launch goes through afterwards
    verify_launch(store, keysets, sign(claims(nonce)), state, state)


def test_a_token_signed_by_another_key_under_the_platforms_kid_is_refused(store, keysets):
    state, nonce = login(store)
    assert "changed on the way" in refused(store, keysets, sign(claims(nonce), OTHER_KEY), state)


def test_only_rs256_is_taken_not_none_nor_hmac_with_the_public_key(store, keysets):
    state, nonce = login(store)
    unsigned = jwt.encode(claims(nonce), None, algorithm="none", headers={"kid": "k1"})
    assert "RS256" in refused(store, keysets, unsigned, state)
    # the classic confusion: HS256 "signed" with the platform's public key as the secret
    from cryptography.hazmat.primitives import serialization

    public_pem = PLATFORM_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs = jwt.api_jws.PyJWS(algorithms=["HS256"])
    hs._algorithms["HS256"].prepare_key = lambda key: key  # PyJWT itself refuses a PEM secret
    confused = hs.encode(
        json.dumps(claims(nonce)).encode(), public_pem, algorithm="HS256", headers={"kid": "k1"}
    )
    assert "RS256" in refused(store, keysets, confused, state)


def test_a_wrong_audience_is_refused(store, keysets):
    state, nonce = login(store)
    assert "wrong audience" in refused(store, keysets, sign(claims(nonce, aud="other")), state)


def test_several_audiences_need_our_azp(store, keysets):
    state, nonce = login(store)
    token = sign(claims(nonce, aud=[CLIENT, "other"], azp="other"))
    assert "azp" in refused(store, keysets, token, state)
    verify_launch(
        store, keysets, sign(claims(nonce, aud=[CLIENT, "other"], azp=CLIENT)), state, state
    )


def test_a_wrong_issuer_is_refused(store, keysets):
    state, nonce = login(store)
    token = sign(claims(nonce, iss="https://evil.example"))
    assert "registered VLE" in refused(store, keysets, token, state)


def test_an_expired_token_is_refused_beyond_a_minutes_leeway(store, keysets):
    state, nonce = login(store)
    now = int(time.time())
    token = sign(claims(nonce, iat=now - 400, exp=now - 90))
    assert "expired" in refused(store, keysets, token, state)
    verify_launch(store, keysets, sign(claims(nonce, iat=now - 400, exp=now - 30)), state, state)


def test_missing_or_wrong_nonce_is_refused(store, keysets):
    state, nonce = login(store)
    assert "nonce" in refused(store, keysets, sign(claims(nonce, nonce=None)), state)
    assert "nonce" in refused(store, keysets, sign(claims("guessed")), state)


def test_a_replayed_launch_is_refused_by_the_store(store, keysets, location):
    state, nonce = login(store)
    token = sign(claims(nonce))
    verify_launch(store, keysets, token, state, state)
    assert "already been used" in refused(store, keysets, token, state)
    with Store(location) as other_process:
        assert "already been used" in refused(other_process, keysets, token, state)


def test_an_old_login_is_refused(store, keysets):
    state, nonce = login(store)
    store._run(
        lambda conn: conn.execute(
            "UPDATE lti_once SET created_at = ? WHERE key = ?", (time.time() - 700, state)
        ),
        write=True,
    )
    assert "expired" in refused(store, keysets, sign(claims(nonce)), state)


def test_an_unregistered_deployment_is_refused(store, keysets):
    state, nonce = login(store)
    token = sign(claims(nonce, **{C.DEPLOYMENT_ID: "dep-2"}))
    assert "deployment" in refused(store, keysets, token, state)


def test_the_state_cookie_must_match(store, keysets):
    state, nonce = login(store)
    token = sign(claims(nonce))
    assert "another browser" in refused(store, keysets, token, state, cookie="other")
    assert "new window" in refused(store, keysets, token, state, cookie=None)


def test_other_messages_and_missing_parts_are_refused(store, keysets):
    state, nonce = login(store)
    assert "kind of LTI message" in refused(
        store, keysets, sign(claims(nonce, **{C.MESSAGE_TYPE: "LtiSubmissionReviewRequest"})), state
    )
    assert "1.3.0" in refused(store, keysets, sign(claims(nonce, **{C.VERSION: "1.1"})), state)
    assert "who you are" in refused(store, keysets, sign(claims(nonce, sub=None)), state)
    assert "signed token" in refused(store, keysets, "not-a-token", state)


def test_claims_are_not_trusted_before_the_signature(store, keysets):
    """A token naming another registered platform is checked against the login's platform:
    its issuer decides nothing."""
    store.save_platform(
        registration(
            issuer="https://other.example",
            client_id=CLIENT,
            deployments=[DEPLOYMENT],
            auth_login_url="https://other.example/a",
            auth_token_url="https://other.example/t",
            jwks_url="https://other.example/j",
        )
    )
    state, nonce = login(store)  # a login of ISS
    token = sign(claims(nonce, iss="https://other.example"), OTHER_KEY, kid="k-other")
    assert "does not publish" in refused(store, keysets, token, state)


def test_a_platforms_new_key_is_fetched_once_and_unknown_kids_are_not_refetched_in_a_loop(
    store,
):
    fetch = Fetcher(jwks_of(("k1", PLATFORM_KEY)))
    sets = KeySets(fetch=fetch, clock=lambda: clock[0])
    clock = [1000.0]
    state, nonce = login(store)
    verify_launch(store, sets, sign(claims(nonce)), state, state)
    assert fetch.calls == 1
    fetch.keyset = jwks_of(("k1", PLATFORM_KEY), ("k2", OTHER_KEY))  # the platform rotated
    state, nonce = login(store)
    assert "does not publish" in refused(store, sets, sign(claims(nonce), OTHER_KEY, "k2"), state)
    clock[0] += 11  # after a short pause, an unknown kid fetches the set again
    verify_launch(store, sets, sign(claims(nonce), OTHER_KEY, "k2"), state, state)
    assert fetch.calls == 2


def test_an_unreachable_key_set_is_said(store):
    def down(url: str) -> dict:
        raise KeySetProblem(
            "the platform's key set could not be fetched (refused)", unreachable=True
        )

    state, nonce = login(store)
    with pytest.raises(LaunchRefused) as caught:
        verify_launch(store, KeySets(fetch=down), sign(claims(nonce)), state, state)
    assert caught.value.status == 502 and "could not be fetched" in caught.value.message


def test_a_login_from_an_unregistered_platform_or_deployment_is_refused(store):
    params = {"iss": "https://unknown.example", "login_hint": "u", "target_link_uri": LAUNCH_URL}
    with pytest.raises(LaunchRefused, match="not registered"):
        begin_login(store, params, LAUNCH_URL)
    params = {**params, "iss": ISS, "lti_deployment_id": "nope"}
    with pytest.raises(LaunchRefused, match="deployment"):
        begin_login(store, params, LAUNCH_URL)
    with pytest.raises(LaunchRefused, match="login_hint"):
        begin_login(store, {"iss": ISS, "target_link_uri": LAUNCH_URL}, LAUNCH_URL)


# -- the tool's keys -------------------------------------------------------------------------------
def test_tool_keys_are_published_signed_with_and_rotated(store):
    keys = ToolKeys(store)
    first = keys.current()
    published = keys.jwks()["keys"]
    assert [k["kid"] for k in published] == [first.kid]
    assert published[0]["alg"] == "RS256" and published[0]["use"] == "sig"
    assert "d" not in published[0]  # never the private part
    token = keys.sign({"hello": "world"})
    pub = jwt.PyJWK(published[0]).key
    assert jwt.decode(token, pub, algorithms=["RS256"]) == {"hello": "world"}
    assert jwt.get_unverified_header(token)["kid"] == first.kid

    second = keys.rotate()
    assert second.kid != first.kid
    assert {k["kid"] for k in keys.jwks()["keys"]} == {first.kid, second.kid}
    assert jwt.get_unverified_header(keys.sign({}))["kid"] == second.kid
    # another process sees the same keys
    assert ToolKeys(store).current().kid == second.kid
    # a week later the retired key is dropped
    later = ToolKeys(store, clock=lambda: time.time() + KEEP_RETIRED + 60)
    later.rotate()
    assert first.kid not in {k["kid"] for k in later.jwks()["keys"]}


# -- registration ----------------------------------------------------------------------------------
def test_registration_checks_its_addresses_and_ids():
    with pytest.raises(RegistrationProblem, match="https"):
        registration(
            issuer=ISS, client_id="c", deployments=["d"], auth_login_url="http://x/a",
            auth_token_url=ISS + "/t", jwks_url=ISS + "/j",
        )  # fmt: skip
    with pytest.raises(RegistrationProblem, match="deployment"):
        registration(
            issuer=ISS, client_id="c", deployments=[" "], **{k: v for k, v in preset(
                "moodle", ISS).items() if k != "issuer"},
        )  # fmt: skip
    moodle = preset("moodle", "https://moodle.college.ac.uk/")
    assert moodle["issuer"] == "https://moodle.college.ac.uk"
    assert moodle["jwks_url"] == "https://moodle.college.ac.uk/mod/lti/certs.php"
    assert preset("canvas")["issuer"] == "https://canvas.instructure.com"


# -- scores through the outbox ---------------------------------------------------------------------
class FakeVle:
    """The token and score addresses, answering as told and counting."""

    def __init__(self, score_status: int = 200) -> None:
        self.score_status, self.scores, self.tokens = score_status, [], 0

    def __call__(self, url, method, headers, body=None, **kw):
        if url == ISS + "/token":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            assertion = jwt.decode(form["client_assertion"], options={"verify_signature": False})
            assert assertion["iss"] == assertion["sub"] == CLIENT
            assert assertion["aud"] == ISS + "/token" and form["scope"] == C.AGS_SCORE_SCOPE
            self.tokens += 1
            return Reply(200, json.dumps({"access_token": "tok"}).encode(), None)
        assert url == ISS + "/li/1/scores?x=1" and headers["Authorization"] == "Bearer tok"
        assert headers["Content-Type"] == C.SCORE_MEDIA_TYPE
        if self.score_status < 300:
            self.scores.append(json.loads(body))
        return Reply(self.score_status, b"", None)


def _attempt(store) -> int:
    aid = store.start_attempt(
        scenario_id="faulty-toaster-day12", scenario_hash="h", scenario_path="p",
        learner="Sam Smith", seed=1, mode="assess",
    )  # fmt: skip
    store.save_link(
        LinkRecord("Sam Smith", "faulty-toaster-day12", "assess", ISS, CLIENT, "user-1",
                   ISS + "/li/1?x=1", time.time())
    )  # fmt: skip
    return int(aid)


def test_a_score_is_queued_once_and_sent_once(store):
    aid = _attempt(store)
    args = dict(
        learner="Sam Smith", exercise="faulty-toaster-day12", mode="assess", attempt_id=aid,
        percent=72, grade="Merit", reason="calm and correct",
    )  # fmt: skip
    assert queue_score(store, **args)
    assert queue_score(store, **args)  # the same attempt again: still one row
    box = ags_outbox(ISS, CLIENT)
    assert store.outbox_counts(box) == (1, 0)
    vle = FakeVle(503)
    report = send_scores(store, ToolKeys(store), vle)
    assert report.sent == 0 and report.waiting == 1 and "503" in report.problems[0]
    vle.score_status = 200
    report = send_scores(store, ToolKeys(store), vle)
    assert report.sent == 1 and report.waiting == 0
    assert send_scores(store, ToolKeys(store), vle).sent == 0
    assert len(vle.scores) == 1
    score = vle.scores[0]
    assert score["userId"] == "user-1" and score["scoreGiven"] == 72
    assert score["scoreMaximum"] == 100 and score["comment"] == "Merit: calm and correct"


def test_one_sender_per_platform_at_a_time(store, location):
    aid = _attempt(store)
    queue_score(
        store, learner="Sam Smith", exercise="faulty-toaster-day12", mode="assess",
        attempt_id=aid, percent=60, grade="Pass", reason=None,
    )  # fmt: skip
    box = ags_outbox(ISS, CLIENT)
    with Store(location) as other_process:
        assert other_process.take_lease("ags-send " + box, 60)
        vle = FakeVle()
        assert send_scores(store, ToolKeys(store), vle).waiting == 1 and vle.scores == []
        other_process.drop_lease("ags-send " + box)
    assert send_scores(store, ToolKeys(store), vle).sent == 1
    assert store.take_lease("ags-send " + box, 60)  # released after sending
    assert not store.take_lease("ags-send " + box, 60)
    assert store.take_lease("ags-send " + box, 0)  # a dead holder's lease runs out


def test_a_score_the_platform_already_holds_is_marked_sent(store):
    aid = _attempt(store)
    queue_score(
        store, learner="Sam Smith", exercise="faulty-toaster-day12", mode="assess",
        attempt_id=aid, percent=40, grade="Referral", reason=None,
    )  # fmt: skip
    report = send_scores(store, ToolKeys(store), FakeVle(409))
    assert report.already == 1 and report.waiting == 0


def test_a_score_refused_for_good_does_not_hold_back_the_others(store):
    first, second = _attempt(store), _attempt(store)
    for aid in (first, second):
        queue_score(
            store, learner="Sam Smith", exercise="faulty-toaster-day12", mode="assess",
            attempt_id=aid, percent=50 + aid % 7, grade="Pass", reason=None,
        )  # fmt: skip

    class ColumnGone(FakeVle):
        def __call__(self, url, method, headers, body=None, **kw):
            if url.endswith("/scores?x=1") and json.loads(body)["scoreGiven"] == 50 + first % 7:
                return Reply(404, b"", None)
            return super().__call__(url, method, headers, body, **kw)

    vle = ColumnGone()
    report = send_scores(store, ToolKeys(store), vle)
    assert (report.refused, report.sent, report.waiting) == (1, 1, 0)
    assert f"attempt {first}" in report.problems[0] and "404" in report.problems[0]
    # 403 (a VLE setting) keeps everything waiting instead
    third = _attempt(store)
    queue_score(
        store, learner="Sam Smith", exercise="faulty-toaster-day12", mode="assess",
        attempt_id=third, percent=90, grade="Distinction", reason=None,
    )  # fmt: skip
    report = send_scores(store, ToolKeys(store), FakeVle(403))
    assert report.waiting == 1 and report.refused == 0 and "403" in report.problems[0]


def test_no_link_no_score(store):
    aid = _attempt(store)
    assert not queue_score(
        store, learner="Someone Else", exercise="faulty-toaster-day12", mode="assess",
        attempt_id=aid, percent=50, grade="Pass", reason=None,
    )  # fmt: skip
    assert not queue_score(
        store, learner="Sam Smith", exercise="faulty-toaster-day12", mode="assess",
        attempt_id=aid, percent=None, grade=None, reason=None,
    )  # fmt: skip


def test_scores_url_keeps_the_query():
    assert scores_url("https://v/li/1?a=b") == "https://v/li/1/scores?a=b"
    assert scores_url("https://v/li/1/") == "https://v/li/1/scores"


def test_platform_users_keep_their_learner_and_never_take_anothers_name(store):
    assert store.claim_learner("Sam Smith", "browser-token")
    assert store.lti_learner(ISS, "u1", "Sam Smith", "t1") == "Sam Smith 2"
    assert store.lti_learner(ISS, "u2", "Sam Smith", "t2") == "Sam Smith 3"
    assert store.lti_learner(ISS, "u1", "Renamed", "t3") == "Sam Smith 2"
    assert store.learner_for_token("t3") == "Sam Smith 2"
    assert store.learner_for_token("browser-token") == "Sam Smith"
    # a name with attempts but no claim (freed by the tutor) is not given to a VLE user either
    store.start_attempt(
        scenario_id="s", scenario_hash="h", scenario_path="p", learner="Kim Lee", seed=1
    )
    assert store.lti_learner(ISS, "u9", "Kim Lee", "t9") == "Kim Lee 2"


def test_two_first_launches_racing_for_one_name_get_two_names(store, monkeypatch):
    """The second writer finds the name taken by the unique index and chooses again."""
    real = type(store)._lti_learner
    calls = []

    def racing(self, issuer, sub, wanted, token_hash):
        if not calls:  # the other launch commits "Ann Ray" between our read and our write
            calls.append(1)
            real(self, issuer, "other-sub", wanted, "other-token")
            self._run(lambda conn: conn.execute(
                "INSERT INTO lti_users (issuer, sub, learner) VALUES (?, ?, ?)",
                (issuer, sub, wanted),
            ), write=True)  # fmt: skip
        return real(self, issuer, sub, wanted, token_hash)

    monkeypatch.setattr(type(store), "_lti_learner", racing)
    assert store.lti_learner(ISS, "me", "Ann Ray", "my-token") == "Ann Ray 2"


def test_a_vle_name_is_made_fit_to_record():
    from simulator.web.lti import learner_name

    assert learner_name("Sam <script>O'Brien</script>") == "Sam O'Brien"
    assert learner_name("  Zoë   Ndlovu ") == "Zoë Ndlovu"
    assert learner_name("<b></b>") == "Learner"
    assert learner_name("\x1b[31mRed\x1b[0m") == "31mRed 0m"
    assert len(learner_name("A" * 300)) == 40


def test_register_prints_what_to_paste_then_stores_the_vle(tmp_path, capsys):
    from simulator.cli import main

    db = str(tmp_path / "r.db")
    url = "https://ct.college.ac.uk"
    assert main(["--db", db, "lti", "register", "--url", url]) == 0
    out = capsys.readouterr().out
    for needed in ("/lti/login", "/lti/launch", "/lti/jwks", "Moodle", "Canvas", "New window"):
        assert needed in out
    assert main(["--db", db, "lti", "register", "--url", url, "--client-id", "c"]) == 2
    assert "--issuer" in capsys.readouterr().err
    assert main(["--db", db, "lti", "register", "--url", "http://plain", "--canvas"]) == 2
    assert "https" in capsys.readouterr().err
    args = ["--db", db, "lti", "register", "--url", url, "--moodle", "https://m.college.ac.uk"]
    assert main([*args, "--client-id", "c1"]) == 2  # no deployment id
    assert "deployment" in capsys.readouterr().err
    assert main([*args, "--client-id", "c1", "--deployment-id", "7"]) == 0
    assert "Registered m.college.ac.uk" in capsys.readouterr().out
    with Store(db) as s:
        (p,) = s.platforms()
        assert p.issuer == "https://m.college.ac.uk" and p.deployments == ("7",)
        assert p.auth_token_url == "https://m.college.ac.uk/mod/lti/token.php"
        assert len(s.tool_keys()) == 1
    assert main(["--db", db, "lti", "platforms"]) == 0
    assert "scores sent 0, waiting 0" in capsys.readouterr().out
    assert main(["--db", db, "lti", "rotate-key"]) == 0
    with Store(db) as s:
        assert len(s.tool_keys()) == 2
