"""An LTI 1.3 platform (a stand-in VLE) for the tests, built on the independent `lti1p3platform`
package: its classes sign the id_tokens, build the login redirect, the deep-linking request and
the AGS claim, check the tool's deep-linking reply and its client assertion against the tool's
JWKS, issue the access tokens and take the scores. This module only puts them behind HTTP (an
aiohttp server in its own thread, so the platform's blocking calls to the tool never wait on
the tests' event loop) and keeps the gradebook.

Knobs for the refusal tests, applied by lti1p3platform's own launch code before it signs:
``expire`` (the token's lifetime, negative: already expired), ``audience`` (sign for another
client id), ``tamper`` (change the signed payload after signing) and ``down`` (the token and
score services answer 503, as a VLE being upgraded does).
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import threading
import typing as t
from dataclasses import dataclass, field

from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request as LtiRequest
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService

from tests.services import free_port

CLIENT_ID = "countertalk-client"
DEPLOYMENT_ID = "deployment-1"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
COURSE = "Customer Service <b>Level 2</b>"  # markup in a claim: must be shown as text


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: t.Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        return t.cast(Registration, self._registration)


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class Launch(LTIAdvantageMessageLaunchAbstract):
    def __init__(self, conf: Conf, preflight: dict[str, t.Any], audience: str | None) -> None:
        super().__init__(t.cast(t.Any, None), conf)
        self._preflight = preflight
        self._audience = audience

    def get_preflight_response(self) -> dict[str, t.Any]:
        return self._preflight

    def get_launch_message(self, include_extra_claims: bool = True) -> dict[str, t.Any]:
        message = super().get_launch_message(include_extra_claims)
        if self._audience is not None:
            message["aud"] = self._audience
            message["azp"] = self._audience
        return message

    def render_launch_form(self, launch_data: dict[str, t.Any], **kwargs: t.Any) -> t.Any:
        return launch_data


class _Req(LtiRequest):
    def build_metadata(self, request: t.Any) -> t.Any:
        return request


class Ags(AssignmentsGradesService):
    def __init__(self, request: t.Any, conf: Conf, platform: Platform, item: str) -> None:
        super().__init__(
            request,
            conf,
            lineitems_url=platform.url + "/lineitems",
            lineitem_url=platform.url + f"/lineitems/{item}",
        )
        self.platform = platform

    def update_score(self, line_item_id: str, score: t.Any) -> UpdateScoreStatus:
        return self.platform.record_score(line_item_id, dict(score))

    # Not used by CounterTalk (it only posts scores); the platform answers nothing for them.
    def find_lineitems(self, *a: t.Any, **k: t.Any) -> t.Any:
        raise NotImplementedError

    def find_lineitem(self, *a: t.Any, **k: t.Any) -> t.Any:
        raise NotImplementedError

    def create_lineitem(self, *a: t.Any, **k: t.Any) -> t.Any:
        raise NotImplementedError

    def update_lineitem(self, *a: t.Any, **k: t.Any) -> t.Any:
        raise NotImplementedError

    def delete_lineitem(self, *a: t.Any, **k: t.Any) -> t.Any:
        raise NotImplementedError

    def get_results(self, *a: t.Any, **k: t.Any) -> t.Any:
        raise NotImplementedError


@dataclass
class Column:
    """A gradebook column made from a deep-linked activity."""

    label: str
    score_maximum: float
    custom: dict[str, str]
    resource_link: str
    results: dict[str, dict[str, t.Any]] = field(default_factory=dict)  # userId -> score
    accepted: list[dict[str, t.Any]] = field(default_factory=list)  # every score taken


class Platform:
    """The VLE: one course, a gradebook, and the lti1p3platform registration of the tool."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        """``host``: the name the VLE is reached by ("localhost": another site than the tool's
        127.0.0.1, as a college's VLE and CounterTalk are); it listens on 127.0.0.1."""
        self.port = free_port()
        self.url = f"http://{host}:{self.port}"
        self.private_pem, self.public_pem = _pem_pair()
        self.columns: dict[str, Column] = {}
        self.links: dict[str, str] = {}  # resource link id -> column id
        # login hint -> (name, role)
        self.users: dict[str, tuple[str, str]] = {"tutor-1": ("Tess Tutor", INSTRUCTOR)}
        self.expire: int = 300
        self.audience: str | None = None
        self.tamper = False
        self.down = False
        self.lose_replies = 0  # take this many scores, then answer 503 as if it had not
        self.last_launch: dict[str, str] | None = None
        self.deep_link_errors: list[str] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.lock = threading.Lock()

    # -- the tool, as the VLE's administrator registered it --------------------------------------
    def register_tool(self, tool: str) -> None:
        self.registration = (
            Registration()
            .set_iss(self.url)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_oidc_login_url(tool + "/lti/login")
            .set_launch_url(tool + "/lti/launch")
            .set_deeplink_launch_url(tool + "/lti/launch")
            .set_tool_key_set_url(tool + "/lti/jwks")
            .set_platform_public_key(self.public_pem)
            .set_platform_private_key(self.private_pem)
        )
        self.tool = tool

    def conf(self) -> Conf:
        return Conf(registration=self.registration)

    def register_args(self) -> list[str]:
        """`countertalk lti register` with this platform's details."""
        return [
            "--allow-http",
            "--issuer",
            self.url,
            "--login-url",
            self.url + "/authorize",
            "--token-url",
            self.url + "/token",
            "--jwks-url",
            self.url + "/jwks",
            "--client-id",
            CLIENT_ID,
            "--deployment-id",
            DEPLOYMENT_ID,
            "--name",
            "Test VLE",
        ]

    # -- the gradebook ----------------------------------------------------------------------------
    def record_score(self, column_id: str, score: dict[str, t.Any]) -> UpdateScoreStatus:
        with self.lock:
            column = self.columns.get(column_id)
            if column is None:
                from lti1p3platform.exceptions import LineItemNotFoundException

                raise LineItemNotFoundException()
            user = str(score.get("userId"))
            held = column.results.get(user)
            if held is not None and str(held.get("timestamp")) >= str(score.get("timestamp")):
                return UpdateScoreStatus.OLD_TIMESTAMP  # AGS: not newer than the one held
            column.results[user] = score
            column.accepted.append(score)
            return UpdateScoreStatus.SUCCESS

    # -- URLs a browser opens ---------------------------------------------------------------------
    def add_user(self, hint: str, name: str, role: str = LEARNER) -> None:
        self.users[hint] = (name, role)

    def deep_link_url(self, tutor: str = "tutor-1") -> str:
        return f"{self.url}/course/add-activity?user={tutor}"

    def launch_url(self, link: str, user: str) -> str:
        return f"{self.url}/course/open/{link}?user={user}"

    # -- serving ----------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application()
        r = app.router
        r.add_get("/jwks", self.h_jwks)
        r.add_get("/course/add-activity", self.h_add_activity)
        r.add_get("/course/add-activity-framed", self.h_add_activity_framed)
        r.add_get("/course/open/{link}", self.h_open)
        r.add_get("/authorize", self.h_authorize)
        r.add_post("/deep-link-return", self.h_deep_link_return)
        r.add_post("/token", self.h_token)
        r.add_post("/lineitems/{item}/scores", self.h_score)
        r.add_get("/gradebook", self.h_gradebook)
        return app

    def start(self) -> None:
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self._runner = web.AppRunner(self.app(), access_log=None)
            loop.run_until_complete(self._runner.setup())
            loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _blocking(self, fn: t.Callable[..., t.Any], *args: t.Any) -> t.Any:
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    # -- handlers ---------------------------------------------------------------------------------
    async def h_jwks(self, request: web.Request) -> web.Response:
        return web.json_response(self.conf().get_jwks() if self._with_reg() else {"keys": []})

    def _with_reg(self) -> bool:
        conf = self.conf()
        conf.get_registration()
        return True

    def _login_redirect(self, hint: str, user: str) -> web.Response:
        conf = self.conf()
        login = Login(None, conf)
        login.set_lti_message_hint(hint=hint)
        if hint == "deeplink":
            login.set_deeplinking_launch_url()
        raise web.HTTPFound(login.initiate_login(user))

    async def h_add_activity(self, request: web.Request) -> web.Response:
        return self._login_redirect("deeplink", request.query["user"])

    async def h_add_activity_framed(self, request: web.Request) -> web.Response:
        """The course page with the content picker in a frame (as Moodle's dialog has it)."""
        src = html.escape(self.deep_link_url(request.query["user"]))
        return web.Response(
            text=f"""<!doctype html><html lang="en"><head><title>VLE course</title></head>
<body><h1>Add an activity</h1><iframe title="Select content" src="{src}" width="900"
height="700"></iframe></body></html>""",
            content_type="text/html",
        )

    async def h_open(self, request: web.Request) -> web.Response:
        link = request.match_info["link"]
        if link not in self.links:
            raise web.HTTPNotFound()
        return self._login_redirect(f"link:{link}", request.query["user"])

    async def h_authorize(self, request: web.Request) -> web.Response:
        """The OIDC authorisation step: lti1p3platform checks the tool's request and signs."""
        pre = dict(request.query)
        if pre.get("redirect_uri") != self.registration.get_launch_url():
            return web.Response(status=400, text="redirect_uri is not registered")
        user = pre.get("login_hint", "")
        name, role = self.users.get(user, ("", LEARNER))
        hint = pre.get("lti_message_hint", "")
        conf = self.conf()
        launch = Launch(conf, pre, self.audience)
        launch.set_id_token_expiration(self.expire)
        launch.set_user_data(user, [role], full_name=name or None)
        launch.set_launch_context_claim("course-1", context_title=COURSE, context_label="CS2")
        if hint == "deeplink":
            launch.set_dl(
                self.url + "/deep-link-return",
                title="Add an activity",
                accept_types={"ltiResourceLink"},
            )
        elif hint.startswith("link:"):
            link = hint[5:]
            column = self.columns[self.links[link]]
            launch.set_resource_link_claim(link, title=column.label)
            launch.set_custom_parameters_claim(column.custom)
            launch.set_ags(
                lineitems_url=self.url + "/lineitems",
                lineitem_url=self.url + f"/lineitems/{self.links[link]}",
                allow_creating_lineitems=False,
            )
        else:
            return web.Response(status=400, text="unknown lti_message_hint")
        data = await self._blocking(launch.lti_launch)
        id_token = data["id_token"]
        if self.tamper:  # change the signed payload: the signature no longer matches it
            head, body, sig = id_token.split(".")
            claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            claims["name"] = "Someone Else"
            body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
            id_token = f"{head}.{body}.{sig}"
        self.last_launch = {"id_token": id_token, "state": data["state"], "to": data["launch_url"]}
        page = f"""<!doctype html><html lang="en"><head><title>VLE</title></head><body>
<form id="f" method="post" action="{html.escape(data["launch_url"])}">
<input type="hidden" name="id_token" value="{html.escape(id_token)}">
<input type="hidden" name="state" value="{html.escape(data["state"])}">
<button type="submit">Continue</button></form>
<script>document.getElementById("f").submit();</script></body></html>"""
        return web.Response(text=page, content_type="text/html")

    async def h_deep_link_return(self, request: web.Request) -> web.Response:
        form = await request.post()
        conf = self.conf()
        conf.get_registration()
        try:
            items = await self._blocking(conf.validate_deeplinking_resp, {"JWT": form["JWT"]})
        except Exception as exc:  # noqa: BLE001 - shown to the test
            self.deep_link_errors.append(f"{type(exc).__name__}: {exc}")
            return web.Response(status=400, text=f"deep-linking reply refused: {exc}")
        with self.lock:
            for item in items:
                n = len(self.columns) + 1
                column_id, link = f"col{n}", f"link{n}"
                line = item.get("lineItem") or {}
                self.columns[column_id] = Column(
                    label=str(line.get("label") or item.get("title")),
                    score_maximum=float(line.get("scoreMaximum", 100)),
                    custom=dict(item.get("custom") or {}),
                    resource_link=link,
                )
                self.links[link] = column_id
        return web.Response(
            text="<!doctype html><title>VLE</title><h1>Activity added</h1>",
            content_type="text/html",
        )

    async def h_token(self, request: web.Request) -> web.Response:
        if self.down:
            return web.Response(status=503, text="down for maintenance")
        form = dict(await request.post())
        conf = self.conf()
        conf.get_registration()
        try:
            token = await self._blocking(conf.get_access_token, form)
        except Exception as exc:  # noqa: BLE001
            return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)
        return web.json_response(token)

    async def h_score(self, request: web.Request) -> web.Response:
        if self.down:
            return web.Response(status=503, text="down for maintenance")
        item = request.match_info["item"]
        conf = self.conf()
        conf.get_registration()
        req = _Req(
            {
                "method": request.method,
                "headers": dict(request.headers),
                "json": await request.json(),
                "form_data": {},
                "get_data": dict(request.query),
                "content_type": request.content_type,
                "path": request.path,
            }
        )
        ags = Ags(req, conf, self, item)
        resp = await self._blocking(
            lambda: ags.handle_resp(ags.handle_update_score, line_item_id=item)
        )
        if self.lose_replies and resp.code < 300:  # stored, but the tool never hears so
            self.lose_replies -= 1
            return web.Response(status=503, text="gateway timeout")
        return web.json_response({"message": resp.message}, status=resp.code)

    async def h_gradebook(self, request: web.Request) -> web.Response:
        with self.lock:
            return web.json_response(
                {
                    cid: {
                        "label": c.label,
                        "custom": c.custom,
                        "results": c.results,
                        "accepted": c.accepted,
                    }
                    for cid, c in self.columns.items()
                }
            )
