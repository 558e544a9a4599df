# The fleet report (ansible/ampfix/plugins/plugin_utils/fleet_report.py) for a simulated fleet:
# HOSTS host results made from the JSON reports of real ampfix runs (REPORT files, cycled; every
# 97th host failed, every 251st without a result), written and timed, its numbers checked
# against the inputs (the summary, report.csv, report.md), and its page opened in a headless
# browser (BROWSER, e.g. chromium) whose DOM must hold a row per host, each fault's counts, and
# the host count the page's own script shows.
#   python3 fleet_report_check.py FLEET_REPORT_PY BROWSER|- HOSTS LIMIT_SECONDS REPORT.json...
# Prints one line per check ("ok ..." or "FAIL ..."); exit status 1 when one failed.
import csv
import html.parser
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

failures = []


def check(ok, what):
    print(('ok   ' if ok else 'FAIL ') + what)
    if not ok:
        failures.append(what)


def fleet(reports, count):
    hosts = []
    for index in range(count):
        name = 'host-%05d.example.net' % index
        if index % 251 == 250:
            hosts.append({'host': name, 'state': 'no-result', 'message': 'unreachable: ssh: connect to host: No route to host', 'report': {}})
        elif index % 97 == 96:
            hosts.append({'host': name, 'state': 'failed', 'message': 'Install ampfix: No package matching ampfix', 'report': {}})
        else:
            hosts.append({'host': name, 'state': 'diagnosed', 'message': '', 'report': reports[index % len(reports)]})
    return hosts


def expected_counts(hosts):
    """Per fault and status, the hosts, counted from the inputs directly."""
    counts = {}
    for entry in hosts:
        for fault in entry['report'].get('faults', []):
            key = (str(fault['id']), fault['status'])
            counts[key] = counts.get(key, 0) + 1
    return counts


class Rows(html.parser.HTMLParser):
    """The DOM's host rows, their cells' statuses, and the text of #shown."""

    def __init__(self):
        super().__init__()
        self.hosts = 0
        self.cells = {}
        self.shown = None
        self.in_shown = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'tr' and 'data-host' in attrs:
            self.hosts += 1
        if tag == 'td' and 'data-fault' in attrs and 'data-status' in attrs:
            key = (attrs['data-fault'], attrs['data-status'])
            self.cells[key] = self.cells.get(key, 0) + 1
        self.in_shown = tag == 'span' and attrs.get('id') == 'shown'

    def handle_data(self, data):
        if self.in_shown:
            self.shown = data.strip()
            self.in_shown = False


def main(argv):
    module_path, browser, count, limit = argv[1], argv[2], int(argv[3]), float(argv[4])
    spec = importlib.util.spec_from_file_location('fleet_report', module_path)
    fleet_report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fleet_report)
    reports = []
    for path in argv[5:]:
        with open(path, encoding='utf-8') as handle:
            reports.append(json.load(handle))
    hosts = fleet(reports, count)
    expected = expected_counts(hosts)
    out = tempfile.mkdtemp()
    started = time.monotonic()
    target, summary = fleet_report.write(hosts, out)
    took = time.monotonic() - started
    check(took < limit, 'the report of %d hosts (from %d real reports) written in %.2f s (limit %g s)' % (count, len(reports), took, limit))

    states = dict((state, sum(1 for h in hosts if h['state'] == state)) for state in ('diagnosed', 'failed', 'no-result'))
    check(summary['states'] == states and summary['hosts'] == count, 'host states %s' % states)
    counted = dict(((number, status), value) for number, counts in summary['faults'].items()
                   for status, value in counts.items() if status not in ('title', 'raised') and value)
    check(counted == expected, 'per fault and status, the summary counts what the inputs hold (%d pairs)' % len(expected))

    with open(os.path.join(target, 'report.csv'), encoding='utf-8') as handle:
        rows = list(csv.DictReader(handle))
    from_csv = {}
    for row in rows:
        for column, value in row.items():
            if column.startswith('fault ') and value:
                key = (column[6:], value.replace(' (raised)', ''))
                from_csv[key] = from_csv.get(key, 0) + 1
    check(len(rows) == count and from_csv == expected, 'report.csv: %d rows, its cells count what the inputs hold' % len(rows))
    csv_states = dict((state, sum(1 for row in rows if row['state'] == state)) for state in states)
    check(csv_states == states, 'report.csv: the failed and unreachable hosts are rows (%s)' % csv_states)

    with open(os.path.join(target, 'report.md'), encoding='utf-8') as handle:
        markdown = handle.read()
    host_lines = [line for line in markdown.splitlines() if line.startswith('| host-')]
    check(len(host_lines) == count, 'report.md: %d host rows' % len(host_lines))
    for number, counts in summary['faults'].items():
        line = '| %s | %s | %d |' % (number, counts['title'].replace('|', '\\|'), expected.get((number, 'present'), 0))
        if line not in markdown:
            check(False, 'report.md: fault %s present on %d hosts (%s)' % (number, expected.get((number, 'present'), 0), line))
            break
    else:
        check(True, 'report.md: each fault\'s present count')
    groups = summary['findings']
    books = [g for g in groups if g.get('playbooks')]
    check(all(os.path.exists(os.path.join(target, name)) for g in books for name in g['playbooks']),
          '%d findings; %d with a repair playbook, each written' % (len(groups), len(books)))
    for group in groups:
        holders = sum(1 for h in hosts for f in h['report'].get('faults', []) if f['id'] == group['fault'] and f['status'] == group['status']
                      and group['message'] in (f.get('evidenceMessages') or f.get('evidence', [])))
        if group['count'] != holders:
            check(False, 'finding "%s": %d hosts, the inputs have %d' % (group['text'], group['count'], holders))
            break
    else:
        check(True, 'each finding counts the hosts whose evidence has its message (id and arguments)')

    if browser == '-':
        print('SKIP the page in a browser: no headless browser (Debian package chromium)')
    else:
        page = 'file://' + os.path.join(target, 'report.html')
        started = time.monotonic()
        dom = subprocess.run([browser, '--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', page],
                             capture_output=True, text=True, timeout=300, check=False)
        rows = Rows()
        rows.feed(dom.stdout)
        check(rows.hosts == count, '%s --headless: the page\'s table has %d host rows (%.1f s)' % (os.path.basename(browser), rows.hosts,
                                                                                                  time.monotonic() - started))
        check(rows.shown == str(count), 'the page\'s script counted %s hosts shown' % rows.shown)
        check(rows.cells == expected, 'the page\'s cells count what the inputs hold')
    print(target)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
