#!/usr/bin/env bash
# The report's message catalogs (gettext). Messages are the English texts given to the
# translator in the code — t("…") and t.plural("…", "…", count:) — with numbered placeholders
# (%1$s) that a translation may reorder.
#   scripts/po.sh extract        rewrite po/ampfix.pot from the code (xgettext, reading Swift as C)
#   scripts/po.sh check          every message in the code is translated in each po/LANG.po, and
#                                msgfmt --check accepts it; exit 1 otherwise, naming what is missing
#   scripts/po.sh compile DIR    DIR/LANG/LC_MESSAGES/ampfix.mo for each po/LANG.po
# A new language is one file: msginit -i po/ampfix.pot -l LANG -o po/LANG.po, translated.
set -euo pipefail
cd "$(dirname "$0")/.."

extract() {  # OUT.pot
  # Only the files that call the translator: xgettext's C reader need not follow the rest.
  mapfile -t files < <(grep -rlE --include='*.swift' '\bt(\.plural)?\("' Sources | sort)
  xgettext --language=C --from-code=UTF-8 --keyword= --keyword=t:1 --keyword=plural:1,2 \
    --package-name=ampfix --msgid-bugs-address= --no-location --sort-output --add-comments=TRANSLATORS: \
    -o "$1" "${files[@]}" 2>"$1.log" || { cat "$1.log" >&2; exit 1; }
  rm -f "$1.log"   # (only xgettext's note that no bug address was given)
  # The header's creation date would make every extraction a change.
  sed -i '/^"POT-Creation-Date: /d' "$1"
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
  compile)
    out=${2:?usage: scripts/po.sh compile DIR}
    for po in po/*.po; do
      language=$(basename "$po" .po)
      mkdir -p "$out/$language/LC_MESSAGES"
      msgfmt --check -o "$out/$language/LC_MESSAGES/ampfix.mo" "$po"
    done
    ;;
  *) echo "usage: scripts/po.sh extract | check | compile DIR" >&2; exit 64 ;;
esac
