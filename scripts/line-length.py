#!/usr/bin/env python3
"""The line limit of .swift-format (lineLength), checked on the code: no line of Sources/ or
Tests/ is longer, counting a string literal as its quotes only. A message's text is its id in
the catalogs (po/), so a long sentence stays on one line; everything around it wraps.
Usage: scripts/line-length.py   (exit 1, naming each line, when one is over)"""
import json
import re
import sys
from pathlib import Path

top = Path(__file__).resolve().parent.parent
limit = json.loads((top / ".swift-format").read_text())["lineLength"]
literal = re.compile(r'(#+)"(?:.*?)"\1|"(?:[^"\\]|\\.)*"')
over = []
for path in sorted(list((top / "Sources").rglob("*.swift")) + list((top / "Tests").rglob("*.swift"))):
    in_block = False
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.count('"""') % 2 == 1:
            in_block = not in_block
            continue
        if in_block:
            continue
        code = literal.sub('""', line)
        if len(code) > limit:
            over.append(f"{path.relative_to(top)}:{number}: {len(code)} columns")
if over:
    print(f"lines over the {limit} columns of .swift-format (string literals not counted):", *over, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"line length: no line over {limit} columns")
