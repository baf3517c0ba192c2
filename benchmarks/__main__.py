"""`make bench`: every benchmark, each writing benchmarks/results/<name>.json."""

import sys

from benchmarks import (
    api_load,
    audit_chain,
    case_search,
    fresh_start,
    import_speed,
    linkage_quality,
    linkage_speed,
    load,
    pages,
)

BENCHMARKS = {
    "fresh_start": fresh_start.run,
    "audit_chain": audit_chain.run,
    "import": import_speed.run,
    "linkage": linkage_quality.run,
    "linkage_speed": linkage_speed.run,
    "case_search": case_search.run,
    "load": load.run,
    "pages": pages.run,
    "api_load": api_load.run,
}


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        result = BENCHMARKS[name]()
        print(f"{name}: {result['summary']}")


if __name__ == "__main__":
    main(sys.argv[1:])
