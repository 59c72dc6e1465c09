"""Large corpora of cases in the quick loop: all of them in `make test`, a sample in test-fast."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest


def sampled(
    cases: Sequence[Any], *, every: int, ids: Callable[[Any], str] | None = None
) -> list[Any]:
    """Each case as a pytest parameter; all but every ``every``-th (the first included) are
    marked ``slow``, so ``make test-fast`` tries a spread of the corpus and ``make test`` all."""
    return [
        pytest.param(
            case,
            id=ids(case) if ids else None,
            marks=() if index % every == 0 else (pytest.mark.slow,),
        )
        for index, case in enumerate(cases)
    ]
