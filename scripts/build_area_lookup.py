"""Rebuild src/outcomes/sources/data/local-authorities.csv and statistical-neighbours.csv.

From DfE's published children's social care files (Explore Education Statistics; Open Government
Licence v3.0), as kept in ../shared/reference-data/dfe-children/ (or any folder given):

    python scripts/build_area_lookup.py ../shared/reference-data/dfe-children

Every upper-tier authority that appears in the children-in-need file (2013 to 2025), its DfE LA
number, its region, the first and last reporting years it appears in; the nine regions, Inner and
Outer London, and England. The neighbours are DfE's children's services statistical neighbours.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).parents[1] / "src" / "outcomes" / "sources" / "data"


def main(source: Path) -> None:
    with open(source / "cin_b1_children_in_need_2013_2025.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    areas: dict[tuple[str, str], dict[str, str]] = {}
    latest = max(int(r["time_period"]) for r in rows)
    for r in rows:
        level = r["geographic_level"]
        if level == "National":
            key, node = ("E92000001", ""), {"name": "England", "level": "national", "region_code": "", "region_name": ""}
        elif level == "Regional":
            key = (r["region_code"], "")
            node = {"name": r["region_name"], "level": "regional", "region_code": "", "region_name": ""}
        else:
            key = (r["new_la_code"], r["old_la_code"])
            node = {"name": r["la_name"], "level": "local authority", "region_code": r["region_code"],
                    "region_name": r["region_name"]}
        entry = areas.setdefault(key, {**node, "first": r["time_period"], "last": r["time_period"]})
        entry["first"] = min(entry["first"], r["time_period"])
        entry["last"] = max(entry["last"], r["time_period"])
    with open(OUT / "local-authorities.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "la_number", "name", "level", "region_code", "region_name", "first_year", "last_year",
                    "current"])
        order = {"national": 0, "regional": 1, "local authority": 2}
        for (code, la), e in sorted(areas.items(), key=lambda kv: (order[kv[1]["level"]], kv[1]["name"], kv[0])):
            w.writerow([code, la, e["name"], e["level"], e["region_code"], e["region_name"], e["first"], e["last"],
                        "yes" if int(e["last"]) == latest else "no"])
    with open(source / "statistical_neighbours_2025.csv", encoding="utf-8-sig", newline="") as fh:
        sn = list(csv.DictReader(fh))
    with open(OUT / "statistical-neighbours.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["old_la_code", "la_name", *[f"SN_{i}" for i in range(1, 11)], *[f"SN_{i}P" for i in range(1, 11)]])
        for r in sn:
            w.writerow([r["old_la_code"], r["la_name"], *[r[f"SN_{i}"] for i in range(1, 11)],
                        *[r[f"SN_{i}P"].strip() for i in range(1, 11)]])


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference-data/dfe-children"))
