"""The import's reading stage (parse a DOJ file, build its records, flatten each batch for the
writer) in CPU seconds, beside floors measured in the same run.

Floors: `csv.reader` alone; `csv.reader` with each row encoded as the JSON the store keeps
(`json.dumps`, what the stage must hand on per row at the least), and with clerkapp's encoder
(`encode_texts`). And, when pyarrow is installed (it is not a dependency), what its streaming
csv reader costs to hand on the same per row: the JSON text (built in Arrow, read back as
Python strings; without the checks for cells that need escaping) and the cells the record
builder reads as a Python row. It measured slower than `csv.reader` + `encode_texts` (making
the Python objects dominates), which is why the reader does not use it; rerun to look again.

    python bench/bench_reading.py [FILE] [--rows 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

BATCH = 5000


def floor_csv(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for n, _ in enumerate(csv.reader(handle)):  # noqa: B007
            pass
    return n


def csv_and_json(path: Path, encode=None) -> int:
    """csv.reader's rows and each row's JSON: by `json.dumps`, or by `encode`."""
    encode = encode or json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    n = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        while rows := list(itertools.islice(reader, BATCH)):
            n += len(list(map(encode, rows)))
    return n


def csv_and_encode_texts(path: Path) -> int:
    from clerkapp.store.flatten import encode_texts

    return csv_and_json(path, encode_texts)


def pyarrow_rows(path: Path) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    import clerkapp.ingest.doj_columns as builder
    from clerkapp.ingest.doj_fields import FIELDS, INDEX

    read = {INDEX[name] for name in INDEX if hasattr(builder, name)}
    types = {f: pa.string() for f in FIELDS}
    batches = pcsv.open_csv(
        path, read_options=pcsv.ReadOptions(column_names=list(FIELDS), skip_rows=1,
                                            use_threads=False),
        parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                            quoted_strings_can_be_null=False))
    unused = itertools.repeat(None)
    n = 0
    for b in batches:
        joined = pc.binary_join_element_wise(*b.columns, '","')  # rows without escapes only
        one = pa.ListArray.from_arrays(pa.array([0, b.num_rows], pa.int32()), joined)
        texts = ('["' + pc.binary_join(one, '"]\n["')[0].as_py() + '"]').split("\n")
        cells = [c.to_pylist() if i in read else unused for i, c in enumerate(b.columns)]
        rows = list(zip(*cells, strict=False))  # unread columns repeat None
        n += min(len(texts), len(rows))
    return n


def clerkapp_reading(path: Path) -> int:
    from clerkapp.ingest.doj import open_doj
    from clerkapp.store.flatten import flatten

    return sum(len(flatten(b).row_values) for b in open_doj(path).batches(BATCH))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    path = args.file
    if path is None:
        import bench_import

        path = bench_import.build("csv", args.rows)  # generated once, kept in bench/out/cache
    jobs = [("floor: csv.reader", floor_csv), ("floor: csv.reader + json.dumps", csv_and_json),
            ("csv.reader + encode_texts", csv_and_encode_texts)]
    try:
        import pyarrow  # noqa: F401
        jobs.append(("pyarrow csv: JSON + rows (no checks)", pyarrow_rows))
    except ImportError:
        print("pyarrow not installed: its line is left out")
    jobs.append(("clerkapp: DojFile.batches + flatten", clerkapp_reading))
    gc.set_threshold(50_000, 20, 100)  # as the import sets it
    print(f"{path} ({path.stat().st_size >> 20} MB), best of {args.repeat}, CPU seconds")
    for label, job in jobs:
        best = min(_cpu(job, path) for _ in range(args.repeat))
        print(f"  {label:38s} {best:7.2f}")


def _cpu(job, path: Path) -> float:
    start = time.process_time()
    job(path)
    return time.process_time() - start


if __name__ == "__main__":
    main()
