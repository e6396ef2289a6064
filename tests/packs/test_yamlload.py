"""The bounded YAML reader: lines kept, text as written, bombs and tags refused."""

from __future__ import annotations

import datetime as dt

from flowdesk.packs.yamlload import MAX_FILE_BYTES, YMap, YSeq, load_yaml


def test_keys_and_items_remember_their_lines() -> None:
    doc, problems = load_yaml("标题: 交费\nsteps:\n  - id: a\n  - id: b\n".encode(), "f.yaml")
    assert problems == [] and isinstance(doc, YMap)
    assert doc.line_of("标题") == 1 and doc.line_of("steps") == 2
    steps = doc["steps"]
    assert isinstance(steps, YSeq) and steps.line_of(1) == 4 and steps[1].line_of("id") == 4


def test_scalars_keep_the_text_as_written() -> None:
    doc, _ = load_yaml(b"code: 0105\nv: 2026.11\nd: 2026-11-01\nok: yes\ns: '0105'\n", "f.yaml")
    assert doc["code"] == 69 and doc.text_of("code") == "0105"  # YAML 1.1 octal
    assert doc.text_of("v") == "2026.11" and doc["d"] == dt.date(2026, 11, 1)
    assert doc["ok"] is True and doc["s"] == "0105" and doc.text_of("s") is None


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['l0: &l0 "哈哈"']
    for i in range(1, 30):  # 10**30 nodes if expanded
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    doc, problems = load_yaml("\n".join(lines).encode(), "bomb.yaml")
    assert doc is None
    assert problems[0].file == "bomb.yaml" and "aliases expand to more than" in problems[0].message
    assert problems[0].line is not None and problems[0].line <= 7


def test_small_aliases_and_merge_keys_are_allowed() -> None:
    text = b"base: &b {type: script, text: hi}\nstep:\n  <<: *b\n  text: bye\nagain: *b\n"
    doc, problems = load_yaml(text, "f.yaml")
    assert problems == []
    assert doc["step"] == {"type": "script", "text": "bye"} and doc["again"]["text"] == "hi"


def test_recursive_and_undefined_aliases() -> None:
    doc, problems = load_yaml(b"a: &a [1, *a]\n", "f.yaml")
    assert doc is None and "refers to itself" in problems[0].message
    doc, problems = load_yaml(b"a: *nowhere\n", "f.yaml")
    assert doc is None and problems[0].line == 1


def test_tags_are_refused() -> None:
    for text in (
        b"a: !!python/object/apply:os.system [ls]\n",
        b"a: !custom x\n",
        b"a: !!set {x}\n",
    ):
        doc, problems = load_yaml(text, "evil.yaml")
        assert doc is None and "is not allowed" in problems[0].message, text
    assert (
        "!!python/object/apply:os.system"
        in load_yaml(b"a: !!python/object/apply:os.system [ls]\n", "evil.yaml")[1][0].message
    )
    doc, problems = load_yaml(b"a: !!str 0105\n", "f.yaml")  # core tags are fine
    assert problems == [] and doc["a"] == "0105"


def test_syntax_error_and_invalid_utf8_give_lines() -> None:
    doc, problems = load_yaml("a: 1\nb: [交费\nc: 2\n".encode(), "bad.yaml")
    assert doc is None and "YAML syntax error" in problems[0].message
    assert problems[0].line == 3
    doc, problems = load_yaml(b"a: 1\nb: \xe4\xb8\nc: 2\n", "bad.yaml")
    assert doc is None and problems[0].line == 2 and "offset 8" in problems[0].message


def test_size_depth_documents_and_empty() -> None:
    big = b"a: " + b"x" * MAX_FILE_BYTES
    assert "file too large" in load_yaml(big, "big.yaml")[1][0].message
    assert "nested more than" in load_yaml(b"[" * 10_000, "deep.yaml")[1][0].message
    assert "more than one YAML document" in load_yaml(b"a: 1\n---\nb: 2\n", "f.yaml")[1][0].message
    assert load_yaml(b"", "f.yaml")[1][0].message == "empty file"
    assert "plain text" in load_yaml(b"? [a, b]\n: c\n", "f.yaml")[1][0].message


def test_duplicate_keys_are_reported_not_fatal() -> None:
    doc, problems = load_yaml("名称: 甲\n名称: 乙\n".encode(), "f.yaml")
    assert doc == {"名称": "乙"}
    assert [(p.key, p.line, p.message) for p in problems] == [
        ("名称", 2, "duplicate key (also on line 1)")
    ]
