"""What a plain (non-editable) install ships: every package, the sample pack, the resources."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    # An editable install finds any sub-package; the wheel carries only the listed ones,
    # so a missing entry breaks `pip install .` while every test here still passes.
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src" / "flowdesk").rglob("__init__.py")
    }
    assert found - listed == set()
    assert {"flowdesk.data", "flowdesk.resources"} <= listed
    # …and a listed package with no folder stops `pip install` itself (CI's first step).
    assert listed - found - {"flowdesk.data", "flowdesk.resources"} == set()
