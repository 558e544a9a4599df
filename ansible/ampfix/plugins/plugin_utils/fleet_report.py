# -*- coding: utf-8 -*-
# Copyright: ampfix maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report: every host's ampfix result, gathered on the controller, as one table of
hosts x faults and as findings shared by hosts, written in a directory per run as JSON (what it
was made from), CSV, Markdown, a self-contained HTML page, and per finding a playbook that
repairs it. Runs on the controller only (the action plugin ampfix.ampfix.ampfix_report, or
`python3 fleet_report.py HOSTS.json DIR`); pure Python, no Ansible imports.

A host entry, as the action plugin builds it from each host's registered results:
  {"host": NAME, "state": "diagnosed" | "failed" | "no-result", "message": TEXT, "report": {...}}
"report" is ampfix's JSON report (schema ampfix.report/N) when the host was diagnosed, or {}.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import html
import io
import json
import os
import sys

SCHEMA = 'ampfix.fleet-report/1'
STATUSES = ('present', 'unknown', 'accepted', 'ok', 'not-applicable')
# A finding is one piece of evidence of a fault that needs an operator's eye.
FINDING_STATUSES = ('present', 'unknown', 'accepted')
HOST_STATES = ('diagnosed', 'failed', 'no-result')
# Per fault and status, the Markdown and HTML list this many findings; report.json has all.
SHOWN_FINDINGS = 25


def message_key(message):
    """A message (id and arguments, arguments nested messages or text) as one canonical string."""
    return json.dumps(message, sort_keys=True, ensure_ascii=False, separators=(',', ':'))


def evidence(fault):
    """(key, text) per piece of evidence: the message's id and arguments where the report has
    them (schema /2 and later), else the text itself."""
    texts = [str(text) for text in fault.get('evidence') or []]
    messages = fault.get('evidenceMessages')
    if isinstance(messages, list) and len(messages) == len(texts):
        return [(message_key(message), text) for message, text in zip(messages, texts)]
    return [(message_key(text), text) for text in texts]


def fault_title(fault):
    return str(fault.get('title') or '')


def summarize(hosts):
    """The numbers and groups of the report, from the host entries alone."""
    faults = {}
    titles = {}
    states = dict((state, 0) for state in HOST_STATES)
    findings = {}
    for entry in hosts:
        state = entry.get('state') if entry.get('state') in HOST_STATES else 'no-result'
        states[state] += 1
        report = entry.get('report') or {}
        root = str(report.get('root') or '/')
        for fault in report.get('faults') or []:
            number = fault.get('id')
            status = str(fault.get('status'))
            if not isinstance(number, int):
                continue
            titles.setdefault(number, fault_title(fault))
            counts = faults.setdefault(number, dict((name, 0) for name in STATUSES))
            counts[status] = counts.get(status, 0) + 1
            if fault.get('raisedByConnector') == 'yes' and status == 'present':
                counts['raised'] = counts.get('raised', 0) + 1
            if status not in FINDING_STATUSES:
                continue
            for key, text in evidence(fault):
                group = findings.setdefault((number, status, key), {
                    'fault': number, 'status': status, 'message': json.loads(key), 'text': text,
                    'repairable': False, 'hosts': [], 'roots': set()})
                group['hosts'].append(entry['host'])
                group['roots'].add(root)
                group['repairable'] = group['repairable'] or (status == 'present' and bool(fault.get('repairable')))
    for counts in faults.values():
        counts.setdefault('raised', 0)
    ordered = sorted(findings.values(), key=lambda g: (g['fault'], STATUSES.index(g['status']) if g['status'] in STATUSES else 9,
                                                       -len(g['hosts']), g['text']))
    for group in ordered:
        group['roots'] = sorted(group['roots'])
        group['count'] = len(group['hosts'])
    return {
        'hosts': len(hosts),
        'states': states,
        'faults': dict((str(number), dict(counts, title=titles.get(number, ''))) for number, counts in sorted(faults.items())),
        'findings': ordered,
    }


def playbook_text(fault, title, hosts, root, finding):
    """A playbook that repairs one fault on the hosts of one finding, with the role."""
    lines = [
        '---',
        '# ampfix fleet report: fault %d (%s) present on %d host%s:' % (fault, title, len(hosts), '' if len(hosts) == 1 else 's'),
        '#   %s' % ' '.join(finding.split()),
        '# First: ansible-playbook -i INVENTORY THIS.yml --check --diff',
        '- name: %s' % json.dumps('Repair fault %d where the fleet report found it' % fault),
        '  hosts:',
    ]
    lines += ['    - %s' % json.dumps(host) for host in hosts]
    lines += [
        '  become: true',
        '  gather_facts: false',
        '  roles:',
        '    - role: ampfix.ampfix.ampfix',
        '      vars:',
        '        ampfix_install: false',
        '        ampfix_repair_faults: [%d]' % fault,
    ]
    if root != '/':
        lines.append('        ampfix_root: %s' % json.dumps(root))
    return '\n'.join(lines) + '\n'


def playbooks(summary):
    """{file name: text}, one per repairable finding's (fault, root, hosts); each finding that
    has one gets its 'playbook' name. Findings on the same hosts share a playbook."""
    written = {}
    by_hosts = {}
    for group in summary['findings']:
        if not group['repairable'] or len(group['roots']) != 1:
            continue
        hosts = sorted(set(group['hosts']))
        key = (group['fault'], group['roots'][0], tuple(hosts))
        name = by_hosts.get(key)
        if name is None:
            digest = hashlib.sha256('\n'.join((group['roots'][0],) + tuple(hosts)).encode('utf-8')).hexdigest()[:10]
            name = 'repair-fault-%d-%s.yml' % (group['fault'], digest)
            title = summary['faults'].get(str(group['fault']), {}).get('title', '')
            written[name] = playbook_text(group['fault'], title, hosts, group['roots'][0], group['text'])
            by_hosts[key] = name
        group['playbook'] = 'playbooks/' + name
    return written


def fault_numbers(summary):
    return [int(number) for number in summary['faults']]


def cell(entry, number):
    """The host's fault as (status, raised, evidence texts), or None when its report has no such fault."""
    for fault in (entry.get('report') or {}).get('faults') or []:
        if fault.get('id') == number:
            return str(fault.get('status')), fault.get('raisedByConnector') == 'yes', [str(t) for t in fault.get('evidence') or []]
    return None


def cell_word(found):
    if found is None:
        return ''
    status, raised = found[0], found[1]
    return status + (' (raised)' if raised and status == 'present' else '')


def render_csv(hosts, numbers):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(['host', 'state', 'message'] + ['fault %d' % n for n in numbers])
    for entry in hosts:
        writer.writerow([entry['host'], entry['state'], entry.get('message', '')] + [cell_word(cell(entry, n)) for n in numbers])
    return out.getvalue()


def md_escape(text):
    return ' '.join(str(text).split()).replace('|', '\\|')


def render_markdown(run, hosts, summary, numbers):
    lines = ['# ampfix fleet report %s' % run, '']
    states = summary['states']
    lines.append('%d hosts: %d diagnosed, %d failed, %d without a result (unreachable, or the role did not run there).'
                 % (summary['hosts'], states['diagnosed'], states['failed'], states['no-result']))
    lines += ['', '## Faults', '', '| fault | title | present | raised by the connector | unknown | accepted | ok | not applicable |',
              '|---|---|---|---|---|---|---|---|']
    for number in numbers:
        counts = summary['faults'][str(number)]
        lines.append('| %d | %s | %d | %d | %d | %d | %d | %d |' % (
            number, md_escape(counts['title']), counts['present'], counts['raised'], counts['unknown'], counts['accepted'],
            counts['ok'], counts['not-applicable']))
    lines += ['', '## Findings', '']
    shown = {}
    for group in summary['findings']:
        key = (group['fault'], group['status'])
        shown[key] = shown.get(key, 0) + 1
        if shown[key] > SHOWN_FINDINGS:
            continue
        line = '- fault %d %s: %d host%s: %s' % (group['fault'], group['status'], group['count'], '' if group['count'] == 1 else 's',
                                                 md_escape(group['text']))
        if group.get('playbook'):
            line += ' (repair: `%s`)' % group['playbook']
        lines.append(line)
    for (number, status), count in sorted(shown.items()):
        if count > SHOWN_FINDINGS:
            lines.append('- fault %d %s: %d more findings in report.json' % (number, status, count - SHOWN_FINDINGS))
    lines += ['', '## Hosts', '', '| host | state | ' + ' | '.join(str(n) for n in numbers) + ' |',
              '|---|---|' + '---|' * len(numbers)]
    unknown = []
    for entry in hosts:
        words = []
        for number in numbers:
            found = cell(entry, number)
            words.append(cell_word(found))
            if found is not None and found[0] == 'unknown':
                unknown.append('- %s, fault %d: %s' % (md_escape(entry['host']), number, md_escape('; '.join(found[2]) or 'no evidence')))
        state = entry['state'] + (': ' + md_escape(entry['message']) if entry.get('message') else '')
        lines.append('| %s | %s | %s |' % (md_escape(entry['host']), state, ' | '.join(words)))
    if unknown:
        lines += ['', '## Why unknown', ''] + unknown
    return '\n'.join(lines) + '\n'


STYLE = '''body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3;position:sticky;top:0}
.present{background:#fdd}.raised{background:#f99;font-weight:bold}.unknown{background:#ffe9b3}.accepted{background:#e0e8ff}
.ok{background:#e5f5e5}.not-applicable{color:#888}.failed,.no-result{background:#eee;font-style:italic}
details summary{cursor:pointer}#filter{margin:.5em 0;padding:.3em;width:20em}'''

SCRIPT = '''(function(){var f=document.getElementById('filter'),rows=document.querySelectorAll('#hosts tbody tr'),
n=document.getElementById('shown');function apply(){var q=f.value.toLowerCase(),c=0;rows.forEach(function(r){
var s=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!s;if(s)c++;});n.textContent=c;}f.addEventListener('input',apply);apply();})();'''


def render_html(run, hosts, summary, numbers):
    e = html.escape
    states = summary['states']
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
           '<title>ampfix fleet report %s</title><style>%s</style></head><body>' % (e(run), STYLE),
           '<h1>ampfix fleet report %s</h1>' % e(run),
           '<p id="states">%d hosts: <span data-state="diagnosed">%d</span> diagnosed, <span data-state="failed">%d</span> failed, '
           '<span data-state="no-result">%d</span> without a result (unreachable, or the role did not run there).</p>'
           % (summary['hosts'], states['diagnosed'], states['failed'], states['no-result']),
           '<h2>Faults</h2><table id="faults"><thead><tr><th>fault</th><th>title</th><th>present</th><th>raised by the connector</th>'
           '<th>unknown</th><th>accepted</th><th>ok</th><th>not applicable</th></tr></thead><tbody>']
    for number in numbers:
        counts = summary['faults'][str(number)]
        numbers_cells = ''.join('<td data-status="%s">%d</td>' % (name, counts[name])
                                for name in ('present', 'raised', 'unknown', 'accepted', 'ok', 'not-applicable'))
        out.append('<tr data-fault="%d"><td>%d</td><td>%s</td>%s</tr>' % (number, number, e(counts['title']), numbers_cells))
    out.append('</tbody></table><h2>Findings</h2><table id="findings"><thead><tr><th>fault</th><th>status</th><th>hosts</th>'
               '<th>finding</th><th>repair</th></tr></thead><tbody>')
    shown = {}
    for group in summary['findings']:
        key = (group['fault'], group['status'])
        shown[key] = shown.get(key, 0) + 1
        if shown[key] > SHOWN_FINDINGS:
            continue
        hosts_list = ', '.join(group['hosts'][:50]) + (' …' if group['count'] > 50 else '')
        playbook = '<a href="%s">%s</a>' % (e(group['playbook']), e(os.path.basename(group['playbook']))) if group.get('playbook') else ''
        out.append('<tr><td>%d</td><td class="%s">%s</td><td><details><summary>%d</summary>%s</details></td><td>%s</td><td>%s</td></tr>'
                   % (group['fault'], e(group['status']), e(group['status']), group['count'], e(hosts_list), e(group['text']), playbook))
    out.append('</tbody></table>')
    more = ['fault %d %s: %d more' % (n, s, c - SHOWN_FINDINGS) for (n, s), c in sorted(shown.items()) if c > SHOWN_FINDINGS]
    if more:
        out.append('<p>In report.json only: %s.</p>' % e('; '.join(more)))
    out.append('<h2>Hosts</h2><input id="filter" type="search" placeholder="filter hosts (name, status, text)"> '
               '<span id="shown"></span> shown<table id="hosts"><thead><tr><th>host</th><th>state</th>%s</tr></thead><tbody>'
               % ''.join('<th>%d</th>' % n for n in numbers))
    for entry in hosts:
        state = entry['state']
        state_cell = e(state)
        if entry.get('message'):
            state_cell = '<details><summary>%s</summary>%s</details>' % (e(state), e(entry['message']))
        cells = []
        for number in numbers:
            found = cell(entry, number)
            if found is None:
                cells.append('<td></td>')
                continue
            status, raised, texts = found
            css = 'raised' if raised and status == 'present' else status
            word = e(cell_word(found))
            if status in FINDING_STATUSES and texts:
                word = '<details><summary>%s</summary><ul>%s</ul></details>' % (word, ''.join('<li>%s</li>' % e(t) for t in texts))
            cells.append('<td class="%s" data-fault="%d" data-status="%s">%s</td>' % (e(css), number, e(status), word))
        out.append('<tr data-host="%s" data-state="%s"><td>%s</td><td class="%s">%s</td>%s</tr>'
                   % (e(entry['host']), e(state), e(entry['host']), e(state), state_cell, ''.join(cells)))
    out.append('</tbody></table><script>%s</script></body></html>\n' % SCRIPT)
    return ''.join(out)


def write_atomically(path, text):
    partial = path + '.partial'
    with open(partial, 'w', encoding='utf-8') as handle:
        handle.write(text)
    os.replace(partial, path)


def run_name(now=None):
    return (now or datetime.datetime.now(datetime.timezone.utc)).strftime('%Y%m%dT%H%M%SZ')


def report_json(run, summary, hosts):
    """report.json: one host per line (json's fast encoder: an indented dump of 2,000 reports
    takes seconds)."""
    head = json.dumps({'schema': SCHEMA, 'run': run, 'summary': summary}, ensure_ascii=False)
    rows = ',\n'.join(json.dumps(entry, ensure_ascii=False) for entry in hosts)
    return head[:-1] + ', "hosts": [\n' + rows + '\n]}\n'


def write(hosts, directory, run=None):
    """Writes the report of the host entries in directory/RUN (RUN: the controller's UTC time),
    points directory/latest at it, and returns (the run's directory, the summary)."""
    run = run or run_name()
    hosts = sorted(hosts, key=lambda entry: entry['host'])
    summary = summarize(hosts)
    books = playbooks(summary)
    numbers = fault_numbers(summary)
    target = os.path.join(directory, run)
    suffix = 1
    while os.path.exists(target):
        suffix += 1
        target = os.path.join(directory, '%s-%d' % (run, suffix))
    os.makedirs(os.path.join(target, 'playbooks'), mode=0o750)
    run = os.path.basename(target)
    write_atomically(os.path.join(target, 'report.json'), report_json(run, summary, hosts))
    write_atomically(os.path.join(target, 'report.csv'), render_csv(hosts, numbers))
    write_atomically(os.path.join(target, 'report.md'), render_markdown(run, hosts, summary, numbers))
    write_atomically(os.path.join(target, 'report.html'), render_html(run, hosts, summary, numbers))
    for name, text in books.items():
        write_atomically(os.path.join(target, 'playbooks', name), text)
    latest = os.path.join(directory, 'latest')
    if not os.path.exists(latest) or os.path.islink(latest):
        link = latest + '.partial'
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(run, link)
        os.replace(link, latest)
    return target, summary


def main(argv):
    if len(argv) != 3:
        sys.stderr.write('usage: fleet_report.py HOSTS.json DIR  (HOSTS.json: a list of host entries, or a report.json)\n')
        return 64
    with open(argv[1], encoding='utf-8') as handle:
        data = json.load(handle)
    hosts = data['hosts'] if isinstance(data, dict) else data
    print(write(hosts, argv[2])[0])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
