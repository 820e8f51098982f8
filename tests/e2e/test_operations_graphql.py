"""Song operations end to end over GraphQL, on a two-account pool of the simulator."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from simulator.operation_state import SimPersona
from suno.config import Settings
from tests.support.operations import (
    TASK_FIELDS,
    finished,
    gql,
    paid_operations,
    song,
    two_account_app,
    wav_bytes,
)

EXTEND = f"mutation($input: ExtendMusicInput!) {{ extendMusic(input: $input) {{ {TASK_FIELDS} }} }}"
COVER = f"mutation($input: CoverMusicInput!) {{ coverMusic(input: $input) {{ {TASK_FIELDS} }} }}"
CONCAT = f"mutation($input: ConcatMusicInput!) {{ concatMusic(input: $input) {{ {TASK_FIELDS} }} }}"
STEMS = f"mutation($input: SeparateStemsInput!) {{ separateStems(input: $input) {{ {TASK_FIELDS} }} }}"
VOCALS = f"mutation($input: AddVocalsInput!) {{ addVocals(input: $input) {{ {TASK_FIELDS} }} }}"
INSTRUMENTAL = (
    f"mutation($input: AddInstrumentalInput!) {{ addInstrumental(input: $input) {{ {TASK_FIELDS} }} }}"
)
REMASTER = f"mutation($input: RemasterMusicInput!) {{ remasterMusic(input: $input) {{ {TASK_FIELDS} }} }}"
VIDEO = f"mutation($input: GenerateVideoInput!) {{ generateVideo(input: $input) {{ {TASK_FIELDS} }} }}"
UPLOAD = f"mutation($input: UploadAudioInput!) {{ uploadAudio(input: $input) {{ {TASK_FIELDS} }} }}"


async def run(http: httpx.AsyncClient, mutation: str, **input: object) -> dict[str, Any]:
    body = await gql(http, mutation, input=input)
    assert "errors" not in body, body
    task = next(iter(body["data"].values()))
    return await finished(http, task["id"])


def refusal(body: dict[str, Any]) -> tuple[str, str]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return errors[0]["extensions"]["code"], errors[0]["message"]


async def test_extend_cover_stems_and_whole_song_run_on_the_owning_account(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        owner = sim.state.clips[source].account
        other = next(name for name in ("alice", "bob") if name != owner)

        extended = await run(http, EXTEND, clipId=source, continueAt=4, prompt="[Verse]\nand then the sun")
        assert extended["status"] == "SUCCESS" and extended["action"] == "EXTEND"
        assert extended["source"] == {"clipId": source, "taskId": made["id"]}
        assert (
            extended["clips"][0]["audioUrl"].startswith("http")
            and "/assets/clips/" in extended["clips"][0]["audioUrl"]
        )
        body = sim.state.operations.bodies[-1]
        assert body["task"] == "extend" and body["continue_clip_id"] == source and body["continue_at"] == 4
        assert body["metadata"]["is_remix"] is True and body["title"] == made["clips"][0]["title"]
        assert (
            sim.state.account(owner).calls["operation"] == 1
            and sim.state.account(other).calls["operation"] == 0
        )

        whole = await run(http, CONCAT, clipId=extended["clips"][0]["id"])
        assert whole["status"] == "SUCCESS" and len(whole["clips"]) == 1

        covered = await run(http, COVER, clipId=source, tags="jazz", coverStartS=1, coverEndS=5)
        assert covered["status"] == "SUCCESS"
        body = sim.state.operations.bodies[-1]
        assert body["task"] == "cover" and body["cover_clip_id"] == source and body["title"] == ""
        assert body["cover_start_s"] == 1 and body["cover_end_s"] == 5

        stems = await run(http, STEMS, clipId=source)
        assert stems["status"] == "SUCCESS" and len(stems["clips"]) == 12
        body = sim.state.operations.bodies[-1]
        assert (body["task"], body["mv"], body["stem_task"], body["stem_type_id"]) == (
            "gen_stem",
            "chirp-v3-0",
            "twelve",
            91,
        )
        listed = await gql(
            http, "query($id: ID!) { task(id: $id) { clips { id stems { id title } } } }", id=made["id"]
        )
        first = next(c for c in listed["data"]["task"]["clips"] if c["id"] == source)
        assert {s["id"] for s in first["stems"]} == {c["id"] for c in stems["clips"]}

        vocals = await run(http, STEMS, clipId=source, group="vocals")
        assert (
            len(vocals["clips"]) == 1 and sim.state.operations.bodies[-1]["stem_type_group_name"] == "Vocals"
        )


async def test_a_clip_sunoql_never_saw_runs_on_the_account_that_owns_it(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        outside = sim.state.new_clip("bob", prompt="[Verse]\nmade on suno.com", title="Outside", tags="folk")
        outside.created_at -= 60
        covered = await run(http, COVER, clipId=outside.id, tags="rock", title="Rock version")
        assert covered["status"] == "SUCCESS" and covered["source"] == {"clipId": outside.id, "taskId": None}
        assert (
            sim.state.account("bob").calls["operation"] == 1
            and sim.state.account("alice").calls["operation"] == 0
        )


async def test_impossible_requests_are_refused_before_any_paid_call(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        cases = [
            (VOCALS, {"clipId": source, "prompt": "la"}, "has vocals"),
            (COVER, {"clipId": source, "model": "chirp-v3-5"}, "does not support cover"),
            (COVER, {"clipId": source, "model": "chirp-nonesuch"}, "not available"),
            (EXTEND, {"clipId": "no-such-clip"}, "not a clip of this server"),
            (EXTEND, {"clipId": source, "continueAt": 9999}, "past the clip's end"),
            (STEMS, {"clipId": source, "group": "Kazoo"}, "group must be one of"),
            (COVER, {"clipId": source, "coverStartS": 30, "coverEndS": 10}, "after cover_start_s"),
            (REMASTER, {"clipId": source, "variation": "extreme"}, "variation must be one of"),
            (EXTEND, {"clipId": source, "personaId": "nobody"}, "persona"),
        ]
        for mutation, fields, words in cases:
            code, message = refusal(await gql(http, mutation, input=fields))
            assert code == "BAD_USER_INPUT" and words in message, (fields, message)
        assert paid_operations(sim) == 0
        assert sim.state.calls["remaster"] == 0


async def test_whole_song_of_an_edited_clip_fails_with_sunos_reason(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (_sim, _served, http):
        made = await song(http)
        covered = await run(http, COVER, clipId=made["clips"][0]["id"], tags="jazz")
        body = await gql(http, CONCAT, input={"clipId": covered["clips"][0]["id"]})
        assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_ERROR"
        assert "Bad history" in body["errors"][0]["message"]
        failed = await finished(http, body["errors"][0]["extensions"]["taskId"])
        assert failed["status"] == "FAILURE" and "Bad history" in failed["failReason"]


async def test_an_uploaded_wav_becomes_a_clip_that_is_covered_and_extended(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        audio = wav_bytes()
        operations = json.dumps({"query": UPLOAD, "variables": {"input": {"file": None, "title": "My demo"}}})
        reply = await http.post(
            "/graphql",
            data={"operations": operations, "map": json.dumps({"0": ["variables.input.file"]})},
            files={"0": ("demo.wav", audio, "audio/wav")},
        )
        body = reply.json()
        assert "errors" not in body, body
        uploaded = await finished(http, body["data"]["uploadAudio"]["id"])
        assert uploaded["status"] == "SUCCESS" and len(uploaded["clips"]) == 1
        upload = next(iter(sim.state.operations.uploads.values()))
        assert upload.size == len(audio) and upload.extension == "wav" and upload.filename == "demo.wav"
        clip_id = uploaded["clips"][0]["id"]

        covered = await run(http, COVER, clipId=clip_id, tags="synthwave")
        assert covered["status"] == "SUCCESS"
        extended = await run(http, EXTEND, clipId=clip_id, continueAt=4)
        assert extended["status"] == "SUCCESS"
        assert sim.state.operations.bodies[-1]["task"] == "upload_extend"
        sung = await run(http, VOCALS, clipId=clip_id, prompt="[Verse]\nnew words")
        assert (
            sung["status"] == "SUCCESS" and sim.state.operations.bodies[-1]["overpainting_clip_id"] == clip_id
        )


async def test_uploads_are_checked_before_anything_reaches_suno(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings, tmp_path, upload_max_bytes=1000) as (sim, _served, http):
        for name, content, words in [
            ("big.wav", wav_bytes(), "larger than 1000 bytes"),
            ("notes.txt", b"hello", "must be one of"),
            ("fake.mp3", b"this is not audio at all", "not audio"),
        ]:
            operations = json.dumps({"query": UPLOAD, "variables": {"input": {"file": None}}})
            reply = await http.post(
                "/graphql",
                data={"operations": operations, "map": json.dumps({"0": ["variables.input.file"]})},
                files={"0": (name, content, "application/octet-stream")},
            )
            code, message = refusal(reply.json())
            assert code == "BAD_USER_INPUT" and words in message
        assert sum(sim.state.account(n).calls["upload"] for n in ("alice", "bob")) == 0


async def test_an_upload_that_never_finishes_processing_times_out(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings.with_overrides(task_timeout=1.5), tmp_path) as (_sim, _served, http):
        operations = json.dumps({"query": UPLOAD, "variables": {"input": {"file": None}}})
        reply = await http.post(
            "/graphql",
            data={"operations": operations, "map": json.dumps({"0": ["variables.input.file"]})},
            files={"0": ("stuck [sim:stuck].wav", wav_bytes(1.0), "audio/wav")},
        )
        failed = await finished(http, reply.json()["data"]["uploadAudio"]["id"])
        assert failed["status"] == "FAILURE" and failed["failReason"] == "timeout"


async def test_a_persona_is_listed_and_sings_a_new_song(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        create = "mutation($input: CreatePersonaInput!) { createPersona(input: $input) { id name clipId account } }"
        body = await gql(http, create, input={"clipId": source, "name": "Rainy", "description": "soft"})
        persona = body["data"]["createPersona"]
        assert persona["clipId"] == source and persona["account"] == sim.state.clips[source].account
        again = await gql(http, create, input={"clipId": source, "name": "Rainy"})
        assert again["data"]["createPersona"]["id"] == persona["id"]
        listed = await gql(http, "{ personas { id name } }")
        assert listed["data"]["personas"] == [{"id": persona["id"], "name": "Rainy"}]

        sung = await song(http, personaId=persona["id"])
        assert sung["status"] == "SUCCESS"
        assert sim.state.clips[sung["clips"][0]["id"]].account == persona["account"]
        request = await gql(
            http,
            "query($id: ID!) { task(id: $id) { request { ... on MusicRequest { personaId } } } }",
            id=sung["id"],
        )
        assert request["data"]["task"]["request"]["personaId"] == persona["id"]

        covered = await run(http, COVER, clipId=source, personaId=persona["id"], tags="soul")
        assert (
            covered["status"] == "SUCCESS" and sim.state.operations.bodies[-1]["persona_id"] == persona["id"]
        )


async def test_aligned_lyrics_give_timed_words_lines_and_lrc(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings, tmp_path) as (_sim, _served, http):
        made = await song(http)
        query = "query($id: ID!) { alignedLyrics(clipId: $id) { words { text start end } lines { text start end } lrc lrcUrl } }"
        body = await gql(http, query, id=made["clips"][0]["id"])
        found = body["data"]["alignedLyrics"]
        assert [w["text"] for w in found["words"]] == [
            "rain",
            "on",
            "the",
            "window",
            "light",
            "in",
            "the",
            "hall",
        ]
        assert [line["text"] for line in found["lines"]] == ["rain on the window", "light in the hall"]
        assert all(w["start"] < w["end"] for w in found["words"])
        rows = found["lrc"].splitlines()
        assert len(rows) == 2 and all(re.fullmatch(r"\[\d\d:\d\d\.\d\d\].+", row) for row in rows)
        again = await gql(http, query, id=made["clips"][0]["id"])
        assert again["data"]["alignedLyrics"]["lrc"] == found["lrc"]
        # The signed lyrics.lrc link plays without a header.
        async with httpx.AsyncClient() as plain:
            served = await plain.get(found["lrcUrl"])
        assert served.status_code == 200 and served.text == found["lrc"]
        unknown = await http.get(found["lrcUrl"].split("?")[0].replace(made["clips"][0]["id"], "nope"))
        assert unknown.status_code == 404


async def test_remaster_add_instrumental_and_video_end_with_playable_files(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        remastered = await run(http, REMASTER, clipId=source, variation="high")
        assert remastered["status"] == "SUCCESS"
        body = sim.state.operations.bodies[-1]
        # The source is a v6 song (the simulator's default model): v6's remaster model.
        assert (body["model_name"], body["variation_category"]) == ("chirp-halibut", "high")
        backed = await run(http, INSTRUMENTAL, clipId=source, tags="strings")
        assert (
            backed["status"] == "SUCCESS"
            and sim.state.operations.bodies[-1]["underpainting_clip_id"] == source
        )
        video = await run(http, VIDEO, clipId=source)
        assert video["status"] == "SUCCESS" and video["clips"][0]["videoUrl"]
        for task in (remastered, backed):
            audio = await http.get(task["clips"][0]["audioUrl"])
            assert audio.status_code == 200 and audio.content


async def test_an_operation_waits_while_its_account_cannot_pay_then_runs(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        owner = sim.state.clips[source].account
        sim.state.account(owner).credits = 0
        await served.runtime.service.account(refresh=True)
        body = await gql(http, EXTEND, input={"clipId": source, "prompt": "[Verse]\nlater"})
        waiting = body["data"]["extendMusic"]
        assert waiting["status"] == "NOT_START" and paid_operations(sim) == 0

        sim.state.account(owner).credits = 500
        await served.runtime.service.account(refresh=True)
        done = await finished(http, waiting["id"])
        assert done["status"] == "SUCCESS" and sim.state.account(owner).calls["operation"] == 1


async def test_a_persona_made_on_suno_already_is_adopted(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        owner = sim.state.clips[source].account
        sim.state.operations.personas["made-on-suno"] = SimPersona(
            "made-on-suno", owner, source, "Old", "", False
        )
        create = "mutation($input: CreatePersonaInput!) { createPersona(input: $input) { id name } }"
        body = await gql(http, create, input={"clipId": source, "name": "New"})
        assert body["data"]["createPersona"] == {"id": "made-on-suno", "name": "Old"}
        listed = await gql(http, "{ personas { id } }")
        assert listed["data"]["personas"] == [{"id": "made-on-suno"}]


async def test_an_account_that_refuses_an_operation_for_a_captcha_rests(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        owner = sim.state.clips[source].account
        sim.inject("captcha", "operation", account=owner)
        # Suno keeps asking (its /api/c/check says so): the account's rest lasts until it stops asking.
        sim.state.challenges.set(owner, required=True, version=1)
        refused = await gql(http, EXTEND, input={"clipId": source})
        assert refused["errors"][0]["extensions"]["code"] == "UPSTREAM_ERROR"
        statuses = {s.name: s for s in await served.runtime.service.account()}
        assert statuses[owner].unusable_reason and not statuses[owner].healthy
        # The next one waits for the account instead of asking Suno again.
        calls = sim.state.account(owner).calls["operation"]
        waiting = await gql(http, EXTEND, input={"clipId": source})
        assert waiting["data"]["extendMusic"]["status"] == "NOT_START"
        assert sim.state.account(owner).calls["operation"] == calls
        # Once Suno stops asking, the next worker tick ends the rest and the waiting operation goes.
        sim.state.challenges.set(owner, required=False)
        done = await finished(http, waiting["data"]["extendMusic"]["id"])
        assert done["status"] == "SUCCESS" and sim.state.account(owner).calls["operation"] == calls + 1
