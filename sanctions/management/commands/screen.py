"""Screen names against the active list from the command line (one name, a CSV batch, or a pair)."""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanctions.freshness import active_version
from sanctions.matching import score_names
from sanctions.screening import index_for, thresholds


def hit_json(hit, screened_as: str | None = None) -> dict:
    return {
        **({"screened_as": screened_as} if screened_as else {}),
        "uid": hit.uid,
        "matched_name": hit.matched_name,
        "primary_name": hit.name,
        "type": hit.sdn_type,
        "programs": list(hit.programs),
        "lists": sorted(hit.lists),
        "score": hit.score,
        "contradicted": hit.contradicted,
        "reasons": list(hit.reasons),
    }


KINDS = ("person", "business")


class Command(BaseCommand):
    help = 'screen "NAME" [--type person|business] [--dob YYYY-MM-DD] [--country CC] [--json]; --file; --compare'

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*")
        parser.add_argument(
            "--type",
            dest="kind",
            choices=["person", "business"],
            help="What to screen the name as (one name: person by default; --file rows without a type: both)",
        )
        parser.add_argument("--dob")
        parser.add_argument("--country")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--file", help="CSV with a header row: name, optional type, dob, country")
        parser.add_argument("--compare", action="store_true", help="Print the pairwise score of two names")

    def handle(self, *args, names, kind, dob, country, json: bool, file, compare, **options):
        as_json = json
        if compare:
            kind = kind or "person"
            if len(names) != 2:
                raise CommandError('--compare takes two names: screen --compare "NAME A" "NAME B"')
            match = score_names(names[0], names[1], kind)
            if as_json:
                self._json({"a": names[0], "b": names[1], "type": kind, "score": match.score, "reasons": match.reasons})
            else:
                self.stdout.write(f"{match.score:.4f}  {'; '.join(match.reasons)}")
            return
        version = active_version()
        if version is None:
            raise CommandError("No sanctions list is loaded; run load_sanctions first.")
        index = index_for(version)
        limits = thresholds()
        if file:
            self._screen_file(Path(file), index, limits, kind)
            return
        kind = kind or "person"
        if len(names) != 1:
            raise CommandError('Give one name: screen "NAME" (or --file, or --compare "A" "B")')
        hits = index.search(names[0], kind, dob=dob, country=country)
        if as_json:
            for hit in hits:
                self._json(hit_json(hit))
            return
        self.stdout.write(f"{len(hits)} hit(s) for {names[0]!r} ({kind}) against {version.public_id}:")
        for hit in hits:
            level = limits.decision(hit.score)
            self.stdout.write(
                f"  {hit.score:.4f} [{level}] {hit.uid} {hit.name} (matched '{hit.matched_name}'; {hit.sdn_type}; "
                f"{', '.join(hit.programs)}; {'+'.join(sorted(hit.lists))})"
                + (" CONTRADICTED" if hit.contradicted else "")
            )
            for reason in hit.reasons:
                self.stdout.write(f"      {reason}")

    def _screen_file(self, path: Path, index, limits, kind: str | None) -> None:
        """One JSON line a row. A row with a type (or, without, the command's ``--type``) is screened as
        that; otherwise as a person and as a business, each hit saying which (``screened_as``). A file that
        cannot be read is one line of error, never a traceback; rows already printed stay printed (the
        error names the line where reading stopped)."""
        reader = None
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                for row in reader:
                    row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                    row_kind = (row.get("type") or "").lower()
                    kinds = [row_kind] if row_kind in KINDS else [kind] if kind else list(KINDS)
                    hits = [
                        (screened_as, hit)
                        for screened_as in kinds
                        for hit in index.search(
                            row.get("name", ""),
                            screened_as,
                            dob=row.get("dob") or None,
                            country=row.get("country") or None,
                            min_score=limits.review,
                        )
                    ]
                    hits.sort(key=lambda pair: (-pair[1].score, pair[1].uid))
                    self._json(
                        {
                            "query": row.get("name", ""),
                            "type": kinds[0] if len(kinds) == 1 else "any",
                            "hits": [hit_json(h, screened_as) for screened_as, h in hits],
                        }
                    )
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except IsADirectoryError:
            raise CommandError(f"{path} is a folder, not a CSV file.") from None
        except OSError as exc:
            raise CommandError(f"{path} cannot be read: {exc.strerror or exc}.") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text ({exc.reason}); save it as UTF-8.") from None
        except csv.Error as exc:
            line = reader.reader.line_num if reader is not None else 0  # DictReader.line_num lags a row
            if "field larger than field limit" in str(exc):
                raise CommandError(
                    f"{path}, line {line}: a field is longer than {csv.field_size_limit():,} characters."
                ) from None
            raise CommandError(f"{path}, line {line}: not valid CSV ({exc}).") from None

    def _json(self, payload: dict) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False))
