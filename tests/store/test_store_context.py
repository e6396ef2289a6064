"""The store keeps call context (schema 3): variables, input steps, when, the summary template."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flowdesk.desk import Desk
from flowdesk.packs import load_pack
from flowdesk.store import flow_digest
from tests.builders import edit_yaml, write_context_pack


def test_a_context_pack_comes_back_from_the_store_as_it_was_read(tmp_path: Path) -> None:
    source = write_context_pack(tmp_path / "src")
    summary = "{{name}} 来电：{{flows}}；{{decisions}}"
    edit_yaml(source / "pack.yaml", lambda head: head.update(call_summary=summary))
    read = load_pack(source).pack
    with Desk.open(tmp_path / "data") as desk:
        desk.import_pack(source)
    with Desk.open(tmp_path / "data") as desk:  # a fresh desk: nothing cached
        stored = desk.pack()
    assert stored.call_summary == "{{name}} 来电：{{flows}}；{{decisions}}"
    assert stored.flow("np-ctx") == read.flow("np-ctx")
    assert stored.flow("np-ctx").step("brand").options[1].when == (("brand", ("M", "E")),)


def test_flows_without_call_context_keep_their_digest(tmp_path: Path) -> None:
    read = load_pack(write_context_pack(tmp_path / "src")).pack
    plain = read.flow("bill-query")
    assert plain.variables == ()
    digest = flow_digest(plain)
    ctx = read.flow("np-ctx")
    changed = replace(ctx, variables=ctx.variables[:-1])
    assert flow_digest(changed) != flow_digest(ctx)  # a change of variables is a new flow row
    assert len(digest) == 64
