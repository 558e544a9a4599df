#!/usr/bin/env python3
"""Extracts ampfix's messages from its Swift sources into a gettext template (.pot).

xgettext cannot read them: a message is an interpolated Swift literal
(`.msg("user \\(name) missing from \\(path)")`), whose id is the literal with each
interpolation replaced by a numbered placeholder (`user %1$s missing from %2$s`), as
Message.Literal builds it at run time. This reads Swift's lexical structure (comments,
literals, interpolations nested in literals) and finds:

  .msg("…")                       a message (Message.msg)
  .plural(count, "…", "…")        a message with plural forms (Message.plural); the
                                  singular's placeholders are renumbered to the plural's
                                  arguments, as Message.plural does
  .joined(parts, separator: "…") the separator between joined clauses (Message.joined)
  t("…")  t.plural("…", "…", …)   the report's frame words (Translating), already written
                                  with placeholders
  FaultTexts(title: "…", …)       a fault's texts: each literal of them

A `// TRANSLATORS:` comment on the lines just above becomes the entry's comment.
Usage: po-extract.py OUT.pot FILE.swift…   (exit 1, naming file and line, on a message
that is not a literal)
"""
import re
import sys


class Source:
    def __init__(self, path):
        self.path = path
        self.text = open(path, encoding="utf-8").read()

    def line(self, index):
        return self.text.count("\n", 0, index) + 1

    def fail(self, index, why):
        sys.exit(f"{self.path}:{self.line(index)}: {why}")


def skip_space(src, i):
    """Past whitespace and comments."""
    text = src.text
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif text.startswith("/*", i):
            i = skip_block_comment(src, i)
        else:
            break
    return i


def skip_block_comment(src, i):
    depth, i = 0, i
    text = src.text
    while i < len(text):
        if text.startswith("/*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*/", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
        else:
            i += 1
    src.fail(i, "unterminated comment")


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def read_literal(src, i):
    """The string literal at i: (end index, [pieces]) where a piece is ('text', str) or
    ('expr', source text of an interpolation)."""
    text = src.text
    hashes = 0
    while text[i] == "#":
        hashes, i = hashes + 1, i + 1
    multiline = text.startswith('"""', i)
    quote = '"""' if multiline else '"'
    close = quote + "#" * hashes
    escape = "\\" + "#" * hashes
    i += len(quote)
    pieces, buffer = [], []
    while True:
        if i >= len(text) or (not multiline and text[i] == "\n"):
            src.fail(i, "unterminated string literal")
        if text.startswith(close, i):
            if buffer:
                pieces.append(("text", "".join(buffer)))
            return i + len(close), pieces
        if text.startswith(escape, i):
            j = i + len(escape)
            c = text[j]
            if c == "(":
                end = skip_parens(src, j)
                if buffer:
                    pieces.append(("text", "".join(buffer)))
                    buffer = []
                pieces.append(("expr", " ".join(text[j + 1:end - 1].split()), (j + 1, end - 1)))
                i = end
            elif c == "u":
                close_brace = text.index("}", j)
                buffer.append(chr(int(text[j + 2:close_brace], 16)))
                i = close_brace + 1
            elif c in ESCAPES:
                buffer.append(ESCAPES[c])
                i = j + 1
            elif c == "\n" and multiline:   # a line continuation
                i = j + 1
            else:
                src.fail(i, f"unknown escape \\{c}")
        else:
            buffer.append(text[i])
            i += 1


def starts_literal(text, i):
    j = i
    while j < len(text) and text[j] == "#":
        j += 1
    return j < len(text) and text[j] == '"'


def code(src, i, end=None):
    """(index, character) of the code from i on, past string literals and comments."""
    text = src.text
    end = len(text) if end is None else end
    while i < end:
        c = text[i]
        if starts_literal(text, i) and (c == '"' or not text[i - 1].isalnum()):
            i, _ = read_literal(src, i)
        elif text.startswith("//", i) or text.startswith("/*", i):
            i = skip_space(src, i)
        else:
            yield i, c
            i += 1


def skip_parens(src, i):
    """From the '(' at i to just past its ')', past literals and comments inside."""
    depth = 0
    for j, c in code(src, i):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return j + 1
    src.fail(i, "unbalanced parentheses")


def arguments(src, i):
    """The call's arguments from the '(' at i: a list of (start, end) spans, and the end."""
    end = skip_parens(src, i)
    spans, start, depth = [], i + 1, 0
    for j, c in code(src, i + 1, end - 1):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            spans.append((start, j))
            start = j + 1
    spans.append((start, end - 1))
    return spans, end


def literal_argument(src, span):
    """The pieces of the argument if it is exactly one string literal, else None."""
    start = skip_space(src, span[0])
    if not starts_literal(src.text, start):
        return None
    end, pieces = read_literal(src, start)
    return pieces if skip_space(src, end) >= span[1] else None


def message_id(pieces, numbering=None, escaping=True):
    """The id Message.Literal builds: text with % doubled, interpolations as %N$s. The frame's
    words (t) are written with their placeholders: escaping=False keeps them."""
    out, n = [], 0
    for kind, value, *_ in pieces:
        if kind == "text":
            out.append(value.replace("%", "%%") if escaping else value)
        else:
            n += 1
            out.append(f"%{numbering[n - 1] if numbering else n}$s")
    return "".join(out)


def plural_ids(src, at, one, other):
    """As Message.plural: the singular's arguments are found among the plural's, in order."""
    unused = [value for kind, value, *_ in other if kind == "expr"]
    positions = list(range(1, len(unused) + 1))
    numbering = []
    for kind, value, *_ in one:
        if kind != "expr":
            continue
        if value not in unused:
            src.fail(at, f"the singular's argument \\({value}) is not one of the plural's")
        k = unused.index(value)
        numbering.append(positions[k])
        del unused[k], positions[k]
    return message_id(one, numbering), message_id(other)


def translator_comment(src, at):
    lines = src.text[:at].split("\n")[:-1]
    comment = []
    while lines and lines[-1].strip().startswith("//"):
        comment.insert(0, lines.pop().strip()[2:].strip())
    for k, line in enumerate(comment):
        if line.startswith("TRANSLATORS:"):
            return " ".join(comment[k:])
    return None


KEYWORD = re.compile(r"(msg|plural|joined|t)\s*(\.\s*plural)?\s*\(")


def extract(src, entries, i=0, end=None):
    text = src.text
    end = len(text) if end is None else end
    while i < end:
        c = text[i]
        if text.startswith("//", i) or text.startswith("/*", i):
            i = skip_space(src, i)
            continue
        if starts_literal(text, i) and (c == '"' or not text[i - 1].isalnum()):
            i, pieces = read_literal(src, i)
            for piece in pieces:   # a message inside an interpolation
                if piece[0] == "expr":
                    extract(src, entries, *piece[2])
            continue
        after_dot = i > 0 and text[i - 1] == "."
        starts_word = i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
        if starts_word and text.startswith("FaultTexts(", i):
            # A fault's texts: every literal of its arguments is a message (its English text).
            close = skip_parens(src, i + len("FaultTexts"))
            j = i + len("FaultTexts(")
            while j < close:
                j = skip_space(src, j)
                if starts_literal(text, j):
                    at = j
                    j, pieces = read_literal(src, j)
                    if any(piece[0] == "expr" for piece in pieces):
                        src.fail(at, "a fault's texts are literals without interpolation")
                    add(entries, src, at, message_id(pieces), None, "TRANSLATORS: a text of the fault catalog (ampfix explain, list, the report's titles and steps).")
                else:
                    j += 1
            i = close
            continue
        match = KEYWORD.match(text, i) if starts_word and c in "mpjt" else None
        # .msg( and .plural( are Message's (or Translating's plural); a bare t( is the frame's.
        if not match or after_dot != (match.group(1) != "t"):
            i += 1
            continue
        open_paren = match.end() - 1
        spans, _ = arguments(src, open_paren)
        literals = [literal_argument(src, span) for span in spans]
        name = match.group(1) + (".plural" if match.group(2) else "")
        comment = translator_comment(src, i)
        if name == "msg":
            if literals[0] is None:
                src.fail(i, ".msg takes a string literal (what the catalog is extracted from)")
            add(entries, src, i, message_id(literals[0]), None, comment, placeholders(literals[0]))
        elif name in ("plural", "t.plural"):
            if literals[0] is not None:             # Translating's plural(singular, plural, count:)
                add(entries, src, i, message_id(literals[0], escaping=False), message_id(literals[1], escaping=False), comment)
            elif name == "plural":                  # Message.plural(count, one, other)
                if len(literals) < 3 or literals[1] is None or literals[2] is None:
                    src.fail(i, ".plural(count, one, other) takes two string literals")
                one, other = plural_ids(src, i, literals[1], literals[2])
                add(entries, src, i, one, other, comment, placeholders(literals[2]))
        elif name == "joined" and len(spans) == 2:   # Message.joined(parts, separator: "; ")
            start = skip_space(src, spans[1][0])
            pieces = literal_argument(src, (start + len("separator:"), spans[1][1])) if text.startswith("separator:", start) else None
            if pieces is not None:
                add(entries, src, i, message_id(pieces), None, comment)
        elif name == "t" and literals and literals[0] is not None:
            add(entries, src, i, message_id(literals[0], escaping=False), None, comment, call_guide(src, spans[1:]))
        i = open_paren + 1   # literals inside the arguments are read on the way (nested messages)


SPEC_TEXT = re.compile(r'\b(help|abstract|discussion|unknownOptionNote):\s*(?=#*")')
TEMPLATE = re.compile(r'(?<![\w.])(UsageError|wording)\(\s*(?=#*")')


def literal_text(src, at):
    """The text of the literal at `at` (no interpolation), as Swift makes it: a multi-line
    literal without its first and last line breaks and its closing delimiter's indentation."""
    end, pieces = read_literal(src, at)
    if any(piece[0] == "expr" for piece in pieces):
        src.fail(at, "a command line's text is a literal without interpolation")
    text = "".join(piece[1] for piece in pieces)
    if src.text.startswith('"""', at):
        closing = src.text[:end - 3].rsplit("\n", 1)[1]
        lines = text.split("\n")[1:-1]
        text = "\n".join(line[len(closing):] if line.startswith(closing) else line.lstrip() for line in lines)
    return end, text


def extract_command_line(src, entries):
    """The command line's words, each a template with numbered placeholders already: a spec's
    texts (help:, abstract:, discussion:, unknownOptionNote:) and the usage errors' and help's
    (UsageError("…", …), wording("…", …))."""
    for pattern in (SPEC_TEXT, TEMPLATE):
        for match in pattern.finditer(src.text):
            end, text = literal_text(src, match.end())
            if not text:   # a default "" has nothing to say
                continue
            guide = None
            if pattern is TEMPLATE and "%1$s" in text:
                spans, _ = arguments(src, src.text.rindex("(", 0, match.end()))
                guide = call_guide(src, spans[1:])
            elif "%1$s" in text:   # a spec text and its helpArguments: / discussionArguments: [...]
                given = re.match(r"\s*,\s*\w+Arguments:\s*\[([^\]]*)\]", src.text[end:])
                if given:
                    guide = "Placeholders, as the code fills them: " + ", ".join(
                        f"%{n}$s = {e.strip()}" for n, e in enumerate(given.group(1).split(","), 1))
            add(entries, src, match.start(), text, None, None, guide)


def placeholders(pieces):
    """What each placeholder of a message is, from the code that fills it: the translator's
    guide where no TRANSLATORS comment says more ("%1$s: name, %2$s: path")."""
    exprs = [value for kind, value, *_ in pieces if kind == "expr"]
    if not exprs:
        return None
    said = [re.sub(r"^verbatim:\s*", "", e) for e in exprs]
    return "Placeholders, as the code fills them: " + ", ".join(f"%{n}$s = {e}" for n, e in enumerate(said, 1))


def call_guide(src, spans):
    """The guide of a template whose arguments follow it in the call (t("…", a, b))."""
    said = [" ".join(src.text[start:end].split()) for start, end in spans]
    said = [re.sub(r"^\w+:\s*", "", e) for e in said if e and not e.startswith("path:")]
    if not said:
        return None
    return "Placeholders, as the code fills them: " + ", ".join(f"%{n}$s = {e}" for n, e in enumerate(said, 1))


def add(entries, src, at, msgid, plural, comment, guide=None):
    known = entries.get(msgid)
    if known and known["plural"] != plural:
        src.fail(at, f"'{msgid}' is used with two different plural forms")
    entry = entries.setdefault(msgid, {"plural": plural, "comments": set(), "guides": set()})
    if comment:
        entry["comments"].add(comment)
    if guide:
        entry["guides"].add(guide)


def po_string(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


HEADER = r'''# ampfix's messages: the report's words, evidence and next steps.
# This file is distributed under the same license as the ampfix package.
# Generated by scripts/po.sh extract; a language is po/LANG.po (see CONTRIBUTING.md).
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: ampfix\n"
"Report-Msgid-Bugs-To: \n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\n"
"Language-Team: LANGUAGE <LL@li.org>\n"
"Language: \n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
'''


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    entries = {}
    for path in paths:
        source = Source(path)
        extract(source, entries)
        if "/AmpfixCommandLine/" in path or "/Sources/ampfix/" in "/" + path:
            extract_command_line(source, entries)
    with open(out, "w", encoding="utf-8") as pot:
        pot.write(HEADER)
        for msgid in sorted(entries):
            entry = entries[msgid]
            pot.write("\n")
            for comment in sorted(entry["comments"]):
                pot.write(f"#. {comment}\n")
            # The code's own words for each placeholder, where no comment explains them (one
            # message filled in several places lists each way).
            if not entry["comments"]:
                for guide in sorted(entry["guides"])[:3]:
                    pot.write(f"#. {guide}\n")
            if "%" in msgid.replace("%%", "") or (entry["plural"] and "%" in entry["plural"]):
                pot.write("#, c-format\n")
            pot.write(f"msgid {po_string(msgid)}\n")
            if entry["plural"] is not None:
                pot.write(f"msgid_plural {po_string(entry['plural'])}\n")
                pot.write('msgstr[0] ""\nmsgstr[1] ""\n')
            else:
                pot.write('msgstr ""\n')


if __name__ == "__main__":
    main()
