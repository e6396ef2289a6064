"""A YAML syntax error told in FlowDesk's words, with its line.

The nesting-depth bound is ours (:data:`flowdesk.packs.yamlload.MAX_DEPTH`), but
libyaml scans a flow collection ahead of the parser, so on deeply nested
input the library can stop with its own error before our builder has seen
the level that breaks our bound. When reading fails we measure the depth
here, so the author is told the real reason in FlowDesk's own words rather
than whatever the installed PyYAML happens to say.
"""

from __future__ import annotations

import yaml

from flowdesk.problems import Problem, error

_OPEN = "[{"
_CLOSE = "]}"


def flow_depth(text: str) -> tuple[int, int]:
    """The deepest flow nesting in ``text`` and the 1-based line where it is reached.

    A light scan, not a parser: quoted scalars and comments are skipped so their
    brackets do not count. It only classifies input that failed to parse, so a
    rare misjudgement changes a message, never what is accepted.
    """
    depth = deepest = 0
    line = deepest_line = 1
    quote = ""
    previous = "\n"
    for char in text:
        if char == "\n":
            line += 1
            if quote == "#":
                quote = ""
        elif quote:
            if char == quote and quote != "#":
                quote = ""
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char
        elif char == "#" and previous in " \t\n":
            quote = "#"
        elif char in _OPEN:
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        previous = char
    return deepest, deepest_line


def syntax_problem(exc: yaml.MarkedYAMLError, data: bytes, file: str, max_depth: int) -> Problem:
    """The problem to report for a file libyaml could not read."""
    depth, depth_line = flow_depth(data.decode("utf-8"))
    if depth > max_depth:  # the library's own depth limit may have stopped it first
        return error(file, "", f"nested more than {max_depth} levels deep", depth_line)
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    what = exc.problem or "cannot read"
    if exc.context:
        what = f"{what} ({exc.context})"
    return error(file, "", f"YAML syntax error: {what}", line)
