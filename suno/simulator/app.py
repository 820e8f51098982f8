"""The simulator as a raw ASGI app: Clerk's and studio-api's routes, media, and the /_sim admin routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from suno.simulator.asgi import (
    Receive,
    Request,
    Response,
    Router,
    Scope,
    Send,
    detail,
    json_response,
    read_request,
)
from suno.simulator.downloads import DownloadApi, ciphertext, forbidden
from suno.simulator.faults import clerk_error, injected_failure
from suno.simulator.media import clip_wav, cover_png
from suno.simulator.state import Fault, SimulatorState
from suno.simulator.studio import StudioApi, StudioHandler


class SimulatorApp:
    def __init__(self, state: SimulatorState | None = None) -> None:
        self.state = state or SimulatorState()
        self.router = Router()
        add = self.router.add
        add("GET", "/v1/client", self.clerk_client)
        add("POST", "/v1/client/sessions/{session_id}/tokens", self.clerk_token)
        for method, path, endpoint, handler in [
            *StudioApi(self.state).routes(),
            *DownloadApi(self.state).routes(),
        ]:
            add(method, path, self._authorized(endpoint, handler))
        add("GET", "/api/forbidden", self.forbidden)
        add("GET", "/media/enc/{name}", self.encrypted_media)
        add("GET", "/media/{name}", self.media)
        add("GET", "/audiopipe", self.audiopipe)
        add("GET", "/_sim/state", self.admin_state)
        add("POST", "/_sim/faults", self.admin_add_fault)
        add("DELETE", "/_sim/faults", self.admin_clear_faults)
        add("POST", "/_sim/accounts/{name}", self.admin_account)
        add("POST", "/_sim/revoke-tokens", self.admin_revoke_tokens)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                await send({"type": f"{message['type']}.complete"})
                if message["type"] == "lifespan.shutdown":
                    return
        if scope["type"] != "http":
            return
        request = await read_request(scope, receive)
        found = self.router.match(request.method, request.path)
        if found is None:
            response = detail(404, "Not Found")
        else:
            handler, request.params = found
            try:
                response = await handler(request)
            except (ValueError, KeyError, TypeError) as exc:
                response = detail(422, f"invalid request: {type(exc).__name__}")
        await response.send(send)

    # Clerk ------------------------------------------------------------------------------------
    @staticmethod
    def _cookie_account(request: Request) -> str | None:
        for part in request.headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "__client" and value:
                return value
        return None

    async def clerk_client(self, request: Request) -> Response:
        self.state.calls["clerk_client"] += 1
        account = self._cookie_account(request)
        if (failure := await injected_failure(self.state, "clerk_client", account)) is not None:
            return failure
        session = self.state.account(account).session_id if account else None
        sessions = [{"id": session, "status": "active"}] if session else []
        return json_response({"response": {"last_active_session_id": session, "sessions": sessions}})

    async def clerk_token(self, request: Request) -> Response:
        self.state.calls["clerk_token"] += 1
        account = self._cookie_account(request)
        if (failure := await injected_failure(self.state, "clerk_token", account)) is not None:
            return failure
        if account is None:
            return clerk_error(401, "authentication_invalid", "No __client cookie: sign in again.")
        if request.params["session_id"] != self.state.account(account).session_id:
            return clerk_error(404, "resource_not_found", "Session not found.")
        self.state.account(account).calls["clerk_token"] += 1
        uat = f"__client_uat={int(self.state.clock())}; Path=/; Domain=suno.com; Secure; SameSite=Lax"
        token = {"object": "token", "jwt": self.state.issue_jwt(account)}
        return json_response(token, headers={"Set-Cookie": uat})

    # studio-api ---------------------------------------------------------------------------------
    def _authorized(self, endpoint: str, handler: StudioHandler) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            self.state.calls[endpoint] += 1
            token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            account = self.state.verify_jwt(token) if token else None
            if account is None:
                return detail(401, "Unauthorized")
            self.state.account(account).calls[endpoint] += 1
            if (failure := await injected_failure(self.state, endpoint, account)) is not None:
                return failure
            return await handler(request, account)

        return guarded

    # Media (no auth, like Suno's CDN) -----------------------------------------------------------
    async def media(self, request: Request) -> Response:
        self.state.calls["media"] += 1
        name = request.params["name"]
        if name.startswith("image_") and name.endswith(".png"):
            clip_id = name.removeprefix("image_large_").removeprefix("image_").removesuffix(".png")
            if clip_id in self.state.clips:
                return Response(200, cover_png(clip_id), "image/png")
        if self.state.era == "2026" and not self.state.media_signature_ok(
            name, request.query_value("expires"), request.query_value("signature")
        ):
            return forbidden()  # the CDN now wants signed URLs
        clip = self.state.clips.get(name.removesuffix(".wav"))
        if name.endswith(".wav") and clip is not None and self.state.clip_status(clip) == "complete":
            return Response(200, clip_wav(clip.id), "audio/wav")
        return detail(404, "Not found.")

    async def forbidden(self, request: Request) -> Response:
        """The 2026 placeholder `audio_url`: 403 with an XML body, for everyone."""
        self.state.calls["forbidden"] += 1
        return forbidden()

    async def encrypted_media(self, request: Request) -> Response:
        self.state.calls["encrypted_media"] += 1
        clip_id = request.params["name"].removesuffix(".m4a")
        if clip_id not in self.state.clips:
            return detail(404, "Not found.")
        return Response(200, ciphertext(clip_id), "application/octet-stream")

    async def audiopipe(self, request: Request) -> Response:
        self.state.calls["audiopipe"] += 1
        clip = self.state.clips.get(request.query_value("item_id") or "")
        if clip is None:
            return detail(404, "Not found.")
        return Response(200, clip_wav(clip.id), "audio/wav")

    # Admin --------------------------------------------------------------------------------------
    async def admin_state(self, request: Request) -> Response:
        return json_response(self.state.snapshot())

    async def admin_add_fault(self, request: Request) -> Response:
        body = request.json() or {}
        fault = Fault(
            str(body["kind"]), str(body.get("endpoint") or "*"), body.get("account"), body.get("times", 1)
        )
        self.state.faults.append(fault)
        return json_response(vars(fault))

    async def admin_clear_faults(self, request: Request) -> Response:
        self.state.clear_faults()
        return json_response({"faults": []})

    async def admin_account(self, request: Request) -> Response:
        sim = self.state.account(request.params["name"])
        body = request.json() or {}
        if "credits" in body:
            sim.credits = int(body["credits"])
        return json_response(
            {"name": sim.name, "credits": sim.credits, "cookie": self.state.cookie_for(sim.name)}
        )

    async def admin_revoke_tokens(self, request: Request) -> Response:
        self.state.revoke_tokens()
        return json_response({"revoked": True})
