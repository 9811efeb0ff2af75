"""Default decision thresholds on the match score.

* ``near_miss``: shown to an analyst as context, no action needed;
* ``review``: a person must look at the hit before the customer goes further;
* ``block``: treat as a match until an analyst clears it.

Chosen on the frozen evaluation set in ``bench/data/eval_set.jsonl`` (see
``bench/screening.py``): ``review`` keeps recall on perturbed listed names at or above the
target while flagging few ordinary names.  Change them only with a new benchmark run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    near_miss: float
    review: float
    block: float

    def decision(self, score: float) -> str:
        if score >= self.block:
            return "block"
        if score >= self.review:
            return "review"
        if score >= self.near_miss:
            return "near_miss"
        return "clear"


DEFAULT_THRESHOLDS = Thresholds(near_miss=0.75, review=0.87, block=0.95)
