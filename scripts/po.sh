#!/usr/bin/env bash
# The report's message catalogs (gettext). Messages are the English texts given to the
# translator in the code: a finding's sentences, .msg("user \(name) missing from \(path)") and
# .plural(n, "…", "…") (each interpolation a numbered placeholder, %1$s, that a translation may
# reorder), and the report's frame words, t("…").
#   scripts/po.sh extract        rewrite po/ampfix.pot from the code (scripts/po-extract.py)
#   scripts/po.sh check          every message in the code is translated in each po/LANG.po, and
#                                msgfmt --check accepts it; exit 1 otherwise, naming what is missing
#   scripts/po.sh compile DIR    DIR/LANG/LC_MESSAGES/ampfix.mo for each po/LANG.po
#   scripts/po.sh man [DIR]      DIR/ampfix.LANG.8 (default packaging/) for each po/LANG.po, the man
#                                page's paragraphs translated (po4a; they are in the same .pot)
#   scripts/po.sh update         merge po/ampfix.pot into each po/LANG.po (msgmerge; new messages
#                                come in untranslated, changed ones fuzzy, for the translator)
# A new language is one file: msginit -i po/ampfix.pot -l LANG -o po/LANG.po, translated.
set -euo pipefail
cd "$(dirname "$0")/.."

extract() {  # OUT.pot
  # xgettext cannot read Swift's interpolated literals; po-extract.py reads Swift's own syntax.
  # The tests' example fault too: scripts/new-fault.sh copies it, translated messages and all.
  mapfile -t files < <({ find Sources -name '*.swift'; echo Tests/AmpfixCoreTests/FaultExample.swift; } | LC_ALL=C sort)
  local parts
  parts=$(mktemp -d)
  python3 scripts/po-extract.py "$parts/code.pot" "${files[@]}"
  # The man page's paragraphs, as po4a cuts them (roff fonts as B<…> and I<…>).
  po4a-updatepo -f man -m packaging/ampfix.8 -M UTF-8 -p "$parts/man.pot" >/dev/null 2>&1
  msgcat --use-first --no-location --no-wrap --sort-output -o "$1" "$parts/code.pot" "$parts/man.pot"
  rm -rf "$parts"
}

case ${1:-} in
  extract)
    extract po/ampfix.pot
    echo "po/ampfix.pot: $(grep -c '^msgid "[^"]' po/ampfix.pot) messages"
    ;;
  check)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    extract "$work/ampfix.pot"
    failed=0
    if ! diff -q po/ampfix.pot "$work/ampfix.pot" >/dev/null; then
      echo "po/ampfix.pot is not what the code says: run scripts/po.sh extract" >&2
      diff po/ampfix.pot "$work/ampfix.pot" | head -n 10 >&2 || true
      failed=1
    fi
    # Every message with placeholders tells the translator what they are (a TRANSLATORS
    # comment, or the code that fills them, which po-extract.py writes).
    uncommented=$(awk -v RS= '/msgid "/ && /%1\$s/ && !/#\. / { sub(/\n.*msgid /, " msgid "); print }' "$work/ampfix.pot" | head -n 5)
    if [ -n "$uncommented" ]; then
      echo "messages with placeholders and no comment for the translator:" >&2; echo "$uncommented" >&2; failed=1
    fi
    for po in po/*.po; do
      # Every message of the code is in the catalog, translated (msgcmp without --use-untranslated).
      if ! msgcmp "$po" "$work/ampfix.pot" 2>"$work/msgcmp.log"; then
        echo "$po lacks messages the code uses:" >&2; head -n 20 "$work/msgcmp.log" >&2; failed=1
      fi
      if ! msgfmt --check --statistics -o /dev/null "$po" 2>"$work/msgfmt.log"; then
        echo "$po: msgfmt --check failed:" >&2; cat "$work/msgfmt.log" >&2; failed=1
      elif grep -qE 'fuzzy|untranslated' "$work/msgfmt.log"; then
        echo "$po: $(cat "$work/msgfmt.log")" >&2; failed=1
      fi
    done
    [ "$failed" = 0 ] && echo "po: $(ls po/*.po | wc -l) catalog(s) complete for $(grep -c '^msgid "[^"]' "$work/ampfix.pot") messages"
    exit "$failed"
    ;;
  update)
    for po in po/*.po; do msgmerge --quiet --update --backup=none --no-location --no-wrap "$po" po/ampfix.pot; done
    ;;
  man)
    out=${2:-packaging}
    for po in po/*.po; do
      language=$(basename "$po" .po)
      # -k 100: a page with an untranslated paragraph is not made (the check names what is
      # missing); the other languages' pages are made all the same, and no stale page is left.
      rm -f "$out/ampfix.$language.8"
      po4a-translate -f man -m packaging/ampfix.8 -M UTF-8 -p "$po" -L UTF-8 -k 100 -l "$out/ampfix.$language.8" >/dev/null 2>&1 || true
      if [ ! -e "$out/ampfix.$language.8" ]; then
        echo "$po: the man page's paragraphs are not all translated: no ampfix.$language.8 (scripts/po.sh check names what is missing)" >&2
        continue
      fi
      # Left-adjusted and unhyphenated: justification would stretch the few spaces of a CJK
      # line, and hyphens would split paths and options.
      sed -i '/^\.TH /a .ad l\n.nh' "$out/ampfix.$language.8"
    done
    ;;
  compile)
    out=${2:?usage: scripts/po.sh compile DIR}
    for po in po/*.po; do
      language=$(basename "$po" .po)
      mkdir -p "$out/$language/LC_MESSAGES"
      msgfmt --check -o "$out/$language/LC_MESSAGES/ampfix.mo" "$po"
    done
    ;;
  *) echo "usage: scripts/po.sh extract | check | update | compile DIR | man [DIR]" >&2; exit 64 ;;
esac
