"""Build lait-children.csv (LAIT's long layout) from DfE's published children's social care files.

This is how the LAIT-format input of this example was made; it is not a LAIT download. It copies
DfE's published figures, unchanged (markers such as c, x, z and low included), into LAIT's columns:
``Short Desc, Data item, Years, LA and Regions, Values, LA Number, Region``. England and the regions
have no LA number, as in LAIT. Rows are kept for England, the nine regions and every authority in
the South West or among Dorset's DfE statistical neighbours (a national file would hold all 153;
the converter skips the others anyway).

    python examples/dorset-lait/source/make_lait_file.py ../shared/reference-data/dfe-children

Source: Department for Education, Explore Education Statistics (children looked after, characteristics
of children in need: child protection plans), as collected in dfe-analytical-services/CSC_outcomes_and_enablers.
Contains public sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: (file, filter column, filter value, value column, Data item, Short Desc)
ITEMS = (
    ("cla_rate_per_10k_2021_2025.csv", "population_type", "Children looked after on 31 March each year",
     "rate_per_10000", "CLA_RATE_31MAR", "Children looked after at 31 March, rate per 10,000 children"),
    ("cla_rate_per_10k_2021_2025.csv", "population_type", "Children starting to be looked after each year",
     "rate_per_10000", "CLA_STARTED_RATE", "Children starting to be looked after in the year, rate per 10,000 children"),
    ("cpp_d3_subsequent_plans_2013_2025.csv", "", "", "CPP_subsequent_percent", "CPP_SUBSEQUENT_PCT",
     "Child protection plans that were a second or subsequent plan (%)"),
)
DORSET_NEIGHBOURS = {"933", "878", "893", "935", "885", "881", "830", "886", "938", "815"}


def main(source: Path) -> None:
    out_rows = []
    for file, column, equals, value, item, short in ITEMS:
        with open(source / file, encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                r = {k.strip(): v for k, v in r.items()}
                if column and r[column] != equals:
                    continue
                level = r["geographic_level"]
                if level == "National":
                    name, number, region = "England", "", ""
                elif level == "Regional":
                    if r["region_code"].startswith("E13"):  # Inner/Outer London: LAIT shows London
                        continue
                    name, number, region = r["region_name"], "", r["region_name"]
                else:
                    if r["region_code"] != "E12000009" and r["old_la_code"] not in DORSET_NEIGHBOURS | {"838"}:
                        continue
                    name, number, region = r["la_name"], r["old_la_code"], r["region_name"]
                out_rows.append([short, item, r["time_period"], name, r[value], number, region])
    with open(HERE / "lait-children.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"])
        writer.writerows(out_rows)
    print(f"wrote {len(out_rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference-data/dfe-children"))
