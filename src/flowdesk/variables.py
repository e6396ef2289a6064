"""Call context (flowpack §5): the caller's values in a flow's words and decisions.

A screen pop brings values (``name=张先生``, ``plan=畅享套餐``); the agent
types more in ``input`` steps. This module decides, without Qt or I/O, what
the agent then sees: each ``{{name}}`` filled (masked where the variable says
so, the variable's label in 【】 where the value is not known), and which
decisions the values answer by themselves. The pack validator, ``flowdesk
show``, the call session and the flow view all use it, so a script, a test
and the agent see the same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flowdesk.model import Flow, Option, Pack, Step, TouchPoint, Variable

#: A variable name: lower-case ASCII letter, then letters, digits and ``_``.
NAME = re.compile(r"[a-z][a-z0-9_]*")
#: ``{{name}}``; spaces inside the braces are allowed (``{{ name }}``), as in most templates.
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

#: Variables every flow may use without declaring them, with the label shown when unknown.
BUILTINS: dict[str, str] = {
    "brand": "品牌",
    "channel": "渠道",
    "touchpoint": "接触点",
    "call_id": "通话编号",
}
BUILTIN_VARIABLES: dict[str, Variable] = {n: Variable(n, label) for n, label in BUILTINS.items()}

#: Bounds on the values one screen pop (or ``show --var``) may carry.
MAX_VALUES = 64
MAX_NAME_CHARS = 64
MAX_VALUE_CHARS = 500

MASK_KEEP = 4


class BadValues(ValueError):
    """Values that cannot be taken (a bad name, too long, too many); the message says which."""


def mask(value: str) -> str:
    """Every character but the last four as ``*`` (§5): ``13800138000`` → ``*******8000``."""
    hidden = max(len(value) - MASK_KEEP, 0)
    return "*" * hidden + value[hidden:]


def placeholders(text: str | None) -> list[str]:
    """The names written as ``{{name}}`` in ``text``, in order (repeats kept)."""
    return [m.group(1) for m in PLACEHOLDER.finditer(text or "")]


def parse_assignments(pairs: Iterable[str], where: str = "--var") -> dict[str, str]:
    """``["name=张先生", …]`` as a checked mapping; :class:`BadValues` names the one at fault."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise BadValues(f"{where} {pair!r}: expected NAME=VALUE")
        name = name.strip()
        if name in values:
            raise BadValues(f"{where} {name}: given twice")
        values[name] = value
    return check_values(values, where)


def check_values(values: Mapping[str, object], where: str = "values") -> dict[str, str]:
    """Bounded, well-named text values, stripped; empty ones dropped (an empty value is unknown).

    Names a flow does not declare are kept: a CTI client sends the same fields
    to every pop without knowing which flow will open, so they are not an
    error; they are simply never shown.
    """
    if len(values) > MAX_VALUES:
        raise BadValues(f"{where}: {len(values)} values, at most {MAX_VALUES}")
    checked: dict[str, str] = {}
    for name, value in values.items():
        if not isinstance(name, str) or len(name) > MAX_NAME_CHARS or not NAME.fullmatch(name):
            raise BadValues(f"{where} {name!r}: not a variable name (expected {NAME.pattern})")
        if not isinstance(value, str):
            raise BadValues(f"{where} {name}: the value must be text")
        value = value.strip()
        if len(value) > MAX_VALUE_CHARS:
            raise BadValues(
                f"{where} {name}: value of {len(value)} characters, at most {MAX_VALUE_CHARS}"
            )
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
            raise BadValues(f"{where} {name}: the value holds control characters")
        if value:
            checked[name] = value
    return checked


def call_values(
    values: Mapping[str, str], touchpoint: str | None = None, call_id: str | None = None
) -> dict[str, str]:
    """The values with the built-ins a pop implies: ``brand`` and ``channel`` from the touch point.

    A value given explicitly wins over one derived from the touch point code.
    """
    merged = dict(values)
    if touchpoint:
        merged.setdefault("touchpoint", touchpoint)
    if call_id:
        merged.setdefault("call_id", call_id)
    code = merged.get("touchpoint")
    if code:
        try:
            tp = TouchPoint.parse(code)
        except ValueError:
            pass
        else:
            merged.setdefault("brand", tp.brand)
            merged.setdefault("channel", tp.channel)
    return merged


def axis_names(pack: Pack) -> dict[str, dict[str, str]]:
    """Codes to names for the built-ins that hold codes, for reasons like ``品牌 = 全球通``."""
    return {
        "brand": {b.code: b.name for b in pack.brands},
        "channel": {c.code: c.name for c in pack.channels},
    }


@dataclass(frozen=True)
class TextPart:
    """A run of a step's text as shown: plain text, or one filled or unfilled placeholder."""

    text: str
    name: str | None = None  # the variable, for a placeholder
    known: bool = True
    masked: bool = False


class FlowContext:
    """One flow with the call's values: the words the agent sees, the decisions data answers.

    ``names`` maps a variable's codes to display names (``{"brand": {"G":
    "全球通"}}``) for the reason shown beside an automatic decision; the text
    itself shows values exactly as given.
    """

    def __init__(
        self,
        flow: Flow,
        values: Mapping[str, str],
        names: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.flow = flow
        self.values = values
        self.names = names or {}
        self._declared = {v.name: v for v in flow.variables}

    def variable(self, name: str) -> Variable | None:
        """The flow's variable (or built-in) of this name; None for a name the flow lacks."""
        return self._declared.get(name) or BUILTIN_VARIABLES.get(name)

    def value(self, name: str) -> str | None:
        """The known value, None where it is not known (or the flow has no such variable)."""
        if self.variable(name) is None:
            return None
        return self.values.get(name) or None

    def shown(self, name: str) -> str:
        """What the agent sees for ``{{name}}``: the value, masked, or 【label】."""
        variable = self.variable(name)
        if variable is None:
            return "{{" + name + "}}"
        value = self.value(name)
        if value is None:
            return f"【{variable.label}】"
        return mask(value) if variable.mask else value

    def parts(self, text: str | None) -> list[TextPart]:
        """``text`` cut into plain runs and placeholders, each as the agent sees it."""
        text = text or ""
        out: list[TextPart] = []
        at = 0
        for m in PLACEHOLDER.finditer(text):
            name = m.group(1)
            variable = self.variable(name)
            if variable is None:
                continue  # not a placeholder of this flow: left as written
            if m.start() > at:
                out.append(TextPart(text[at : m.start()]))
            known = self.value(name) is not None
            out.append(TextPart(self.shown(name), name, known, known and variable.mask))
            at = m.end()
        if at < len(text):
            out.append(TextPart(text[at:]))
        return out

    def render(self, text: str | None) -> str:
        """``text`` with its placeholders filled, as plain text."""
        return "".join(p.text for p in self.parts(text))

    def unknown(self, step: Step) -> list[Variable]:
        """The variables a step's words use whose values are not known yet, once each."""
        seen: dict[str, Variable] = {}
        for name in placeholders(step.text) + placeholders(step.note):
            variable = self.variable(name)
            if variable is not None and self.value(name) is None and name not in seen:
                seen[name] = variable
        return list(seen.values())

    # -- decisions -------------------------------------------------------------

    def matches(self, option: Option) -> bool:
        """True when the option has a condition and every value it names is known and fits."""
        if not option.when:
            return False
        for name, allowed in option.when:
            value = self.value(name)
            if value is None or value not in allowed:
                return False
        return True

    def auto_option(self, step: Step) -> int | None:
        """The option a decision's data answers (exactly one matching), else None."""
        if step.type != "decision":
            return None
        hits = [i for i, option in enumerate(step.options) if self.matches(option)]
        return hits[0] if len(hits) == 1 else None

    def reason(self, option: Option) -> str:
        """Why an option was taken, as the agent reads it: ``品牌 = 全球通``."""
        parts = []
        for name, _allowed in option.when:
            variable = self.variable(name)
            label = variable.label if variable is not None else name
            value = self.value(name) or ""
            shown = mask(value) if variable is not None and variable.mask else value
            parts.append(f"{label} = {self.names.get(name, {}).get(shown, shown)}")
        return "，".join(parts)

    def auto_branches(self, start: str | None = None) -> list[tuple[str, str]]:
        """The decisions taken from data along the flow from ``start`` (default its first step).

        Chains are followed: past each automatic decision the walk goes on to
        the next decision, and stops at the first one the data does not
        answer (the agent's) or where the flow ends. Each is ``(step_id,
        next)``, as a ``branch`` event records it.
        """
        flow = self.flow
        if not flow.steps:
            return []
        index = {s.id: s for s in flow.steps}
        current: str | None = start or flow.steps[0].id
        taken: list[tuple[str, str]] = []
        seen: set[str] = set()
        while current is not None and current in index and current not in seen:
            seen.add(current)
            step = index[current]
            if step.type == "decision" and step.options:
                choice = self.auto_option(step)
                if choice is None:
                    break
                current = step.options[choice].next
                taken.append((step.id, current))
            else:
                current = flow.successor(step.id)
        return taken
