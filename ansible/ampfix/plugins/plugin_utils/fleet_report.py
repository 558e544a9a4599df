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
import re
import sys

SCHEMA = 'ampfix.fleet-report/1'
STATUSES = ('present', 'unknown', 'accepted', 'ok', 'not-applicable')
# A finding is one piece of evidence of a fault that needs an operator's eye.
FINDING_STATUSES = ('present', 'unknown', 'accepted')
HOST_STATES = ('diagnosed', 'failed', 'no-result')
# Per fault and status, the Markdown and HTML list this many findings; report.json has all.
SHOWN_FINDINGS = 25


# Evidence text longer than this is cut in the Markdown and the page (report.json keeps it all).
TEXT_LIMIT = 2000
# A root a repair playbook may name: a plain absolute path (no quotes, no Jinja, no newlines).
PLAIN_ROOT = re.compile(r'^/[A-Za-z0-9._+/-]*$')
# A host name a playbook may list: one that is no Ansible host pattern (all, *, a range, a regex,
# a union or an exclusion would reach other hosts than the report's).
PLAIN_HOST = re.compile(r'^[A-Za-z0-9_.@-][A-Za-z0-9_.@%-]*$')
PLACEHOLDER = re.compile(r'%([1-9][0-9]*)\$s')


def clean(text):
    """Text from a host as text that can be written: a string, lone surrogates replaced."""
    if not isinstance(text, str):
        text = '' if text is None else str(text)
    return text.encode('utf-8', 'replace').decode('utf-8')


def shown(text):
    text = ' '.join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT - 1] + '…'


def message_key(message):
    """A message (id and arguments, arguments nested messages or text) as one canonical string."""
    return json.dumps(message, sort_keys=True, ensure_ascii=True, separators=(',', ':'))


def render_message(message):
    """A message's English text from its id and arguments (ampfix's ids are its English words),
    or None when it is not one: the text a finding shows is then the message's own, not one
    host's word for it."""
    if isinstance(message, str):
        return message
    if not isinstance(message, dict) or not isinstance(message.get('id'), str) or not isinstance(message.get('arguments', []), list):
        return None
    arguments = [render_message(argument) for argument in message.get('arguments', [])]
    if any(argument is None for argument in arguments):
        return None
    text = message['id']
    plural = message.get('plural')
    if isinstance(plural, dict) and isinstance(plural.get('id'), str) and plural.get('count') != 1:
        text = plural['id']
    return PLACEHOLDER.sub(lambda m: arguments[int(m.group(1)) - 1] if int(m.group(1)) <= len(arguments) else m.group(0), text)


def fault_view(fault):
    """One fault of a host's report as the renderers read it, or None when it is no fault."""
    if not isinstance(fault, dict) or not isinstance(fault.get('id'), int) or isinstance(fault.get('id'), bool):
        return None
    texts = fault.get('evidence') if isinstance(fault.get('evidence'), list) else []
    texts = [clean(text) for text in texts]
    messages = fault.get('evidenceMessages')
    keys = [message_key(message) for message in messages] if isinstance(messages, list) and len(messages) == len(texts) else \
        [message_key(text) for text in texts]
    return {'id': fault['id'], 'title': clean(fault.get('title')), 'status': clean(fault.get('status')),
            'raised': fault.get('raisedByConnector') == 'yes', 'repairable': fault.get('repairable') is True,
            'evidence': list(zip(keys, texts))}


def normalized(entry):
    """A host entry as the renderers read it, whatever the host sent: its state one of
    HOST_STATES, texts that can be written, its faults (what is no fault left out and said)."""
    entry = entry if isinstance(entry, dict) else {}
    state = entry.get('state')
    message = clean(entry.get('message'))
    if state not in HOST_STATES:
        message = 'state %s is none of %s; %s' % (json.dumps(clean(state)), ', '.join(HOST_STATES), message)
        state = 'no-result'
    report = entry.get('report') if isinstance(entry.get('report'), dict) else {}
    faults = report.get('faults', [])
    if not isinstance(faults, list):
        message = (message + '; ' if message else '') + 'its report has no list of faults'
        faults = []
    views = [fault_view(fault) for fault in faults]
    if None in views:
        message = (message + '; ' if message else '') + '%d entries of its report are no faults' % views.count(None)
    return {'host': clean(entry.get('host')), 'state': state, 'message': message, 'root': clean(report.get('root') or '/'),
            'faults': [view for view in views if view is not None]}


def summarize(views):
    """The numbers and groups of the report, from the hosts' views alone."""
    faults = {}
    titles = {}
    states = dict((state, 0) for state in HOST_STATES)
    findings = {}
    for view in views:
        states[view['state']] += 1
        for fault in view['faults']:
            number, status = fault['id'], fault['status']
            titles.setdefault(number, fault['title'])
            counts = faults.setdefault(number, dict((name, 0) for name in STATUSES))
            counts[status] = counts.get(status, 0) + 1
            if fault['raised'] and status == 'present':
                counts['raised'] = counts.get('raised', 0) + 1
            if status not in FINDING_STATUSES:
                continue
            for key, text in fault['evidence']:
                group = findings.setdefault((number, status, key), {
                    'fault': number, 'status': status, 'message': json.loads(key), 'texts': {},
                    'repairable': False, 'hosts': [], 'roots': {}})
                group['hosts'].append(view['host'])
                group['texts'][text] = group['texts'].get(text, 0) + 1
                group['roots'].setdefault(view['root'], []).append(view['host'])
                group['repairable'] = group['repairable'] or (status == 'present' and fault['repairable'])
    for counts in faults.values():
        counts.setdefault('raised', 0)
    for group in findings.values():
        # The message's own words; else the words most hosts use, not the first host's.
        texts = group.pop('texts')
        rendered = render_message(group['message'])
        group['text'] = clean(rendered) if rendered is not None else sorted(texts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        group['count'] = len(group['hosts'])
    ordered = sorted(findings.values(), key=lambda g: (g['fault'], STATUSES.index(g['status']) if g['status'] in STATUSES else 9,
                                                       -g['count'], g['text']))
    return {
        'hosts': len(views),
        'states': states,
        'faults': dict((str(number), dict(counts, title=titles.get(number, ''))) for number, counts in sorted(faults.items())),
        'findings': ordered,
    }


def playbook_text(fault, title, hosts, root, finding):
    """A playbook that repairs one fault on the hosts of one finding, with the role. Host names
    and the root are quoted and !unsafe (never templated); comments are single lines."""
    lines = [
        '---',
        '# ampfix fleet report: fault %d (%s) present on %d host%s:' % (fault, ' '.join(title.split()), len(hosts),
                                                                        '' if len(hosts) == 1 else 's'),
        '#   %s' % ' '.join(finding.split()),
        '# First: ansible-playbook -i INVENTORY THIS.yml --check --diff',
        '- name: %s' % json.dumps('Repair fault %d where the fleet report found it' % fault),
        '  hosts:',
    ]
    lines += ['    - !unsafe %s' % json.dumps(host) for host in hosts]
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
        lines.append('        ampfix_root: !unsafe %s' % json.dumps(root))
    return '\n'.join(lines) + '\n'


def playbooks(summary):
    """{file name: text}: per repairable finding, one playbook per root its hosts were diagnosed
    under (a root that is no plain path gets none, and the finding says so); each finding lists
    its 'playbooks'. Findings on the same hosts share a playbook."""
    written = {}
    by_hosts = {}
    for group in summary['findings']:
        roots = group.pop('roots')
        if not group['repairable']:
            continue
        group['playbooks'] = []
        reasons = []
        for root, hosts in sorted(roots.items()):
            if not PLAIN_ROOT.match(root):
                reasons.append('the root %s is no plain path' % json.dumps(root))
                continue
            patterns = sorted(set(host for host in hosts if not PLAIN_HOST.match(host) or host in ('all', 'ungrouped')))
            if patterns:
                reasons.append('host names that are Ansible patterns are left out: %s' % ', '.join(json.dumps(p) for p in patterns[:5]))
            hosts = sorted(set(hosts) - set(patterns))
            if not hosts:
                continue
            key = (group['fault'], root, tuple(hosts))
            name = by_hosts.get(key)
            if name is None:
                digest = hashlib.sha256('\n'.join((root,) + tuple(hosts)).encode('utf-8')).hexdigest()[:10]
                name = 'repair-fault-%d-%s.yml' % (group['fault'], digest)
                title = summary['faults'].get(str(group['fault']), {}).get('title', '')
                written[name] = playbook_text(group['fault'], title, hosts, root, group['text'])
                by_hosts[key] = name
            group['playbooks'].append('playbooks/' + name)
        if reasons:
            group['no_playbook'] = '; '.join(reasons)
    return written


def fault_numbers(summary):
    return [int(number) for number in summary['faults']]


def cell(view, number):
    """The host's fault as (status, raised, evidence texts), or None when its report has no such fault."""
    for fault in view['faults']:
        if fault['id'] == number:
            return fault['status'], fault['raised'], [text for _key, text in fault['evidence']]
    return None


def cell_word(found):
    if found is None:
        return ''
    status, raised = found[0], found[1]
    return status + (' (raised)' if raised and status == 'present' else '')


def csv_text(text):
    """A cell a spreadsheet does not take for a formula (a host's name or message starting with
    = + - @ or a control character gets a leading ')."""
    return "'" + text if text[:1] in ('=', '+', '-', '@', '\t', '\r') else text


def render_csv(views, numbers):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(['host', 'state', 'message'] + ['fault %d' % n for n in numbers])
    for view in views:
        writer.writerow([csv_text(view['host']), view['state'], csv_text(view['message'])]
                        + [csv_text(cell_word(cell(view, n))) for n in numbers])
    return out.getvalue()


def md_escape(text):
    """One line of Markdown table text: whitespace collapsed, '|' escaped, and HTML as entities
    (a renderer that passes HTML through must not run what a host's text holds)."""
    return html.escape(shown(str(text)), quote=False).replace('|', '\\|')


def listed_findings(findings):
    """The findings the Markdown and the page list (SHOWN_FINDINGS per fault and status), and
    (fault, status, how many more) where report.json has more."""
    counts = {}
    listed = []
    for group in findings:
        key = (group['fault'], group['status'])
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= SHOWN_FINDINGS:
            listed.append(group)
    return listed, [(number, status, count - SHOWN_FINDINGS) for (number, status), count in sorted(counts.items()) if count > SHOWN_FINDINGS]


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
    listed, more = listed_findings(summary['findings'])
    for group in listed:
        line = '- fault %d %s: %d host%s: %s' % (group['fault'], group['status'], group['count'], '' if group['count'] == 1 else 's',
                                                 md_escape(group['text']))
        if group.get('playbooks'):
            line += ' (repair: %s)' % ', '.join('`%s`' % name for name in group['playbooks'])
        if group.get('no_playbook'):
            line += ' (no repair playbook: %s)' % md_escape(group['no_playbook'])
        lines.append(line)
    lines += ['- fault %d %s: %d more findings in report.json' % (number, status, count) for number, status, count in more]
    lines += ['', '## Hosts', '', '| host | state | ' + ' | '.join(str(n) for n in numbers) + ' |',
              '|---|---|' + '---|' * len(numbers)]
    unknown = []
    for entry in hosts:
        words = []
        for number in numbers:
            found = cell(entry, number)
            words.append(md_escape(cell_word(found)))
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
    listed, more = listed_findings(summary['findings'])
    for group in listed:
        hosts_list = ', '.join(group['hosts'][:50]) + (' …' if group['count'] > 50 else '')
        repair = ' '.join('<a href="%s">%s</a>' % (e(name), e(os.path.basename(name))) for name in group.get('playbooks', []))
        if group.get('no_playbook'):
            repair += ' ' + e(group['no_playbook'])
        out.append('<tr><td>%d</td><td class="%s">%s</td><td><details><summary>%d</summary>%s</details></td><td>%s</td><td>%s</td></tr>'
                   % (group['fault'], e(group['status']), e(group['status']), group['count'], e(hosts_list), e(shown(group['text'])), repair))
    out.append('</tbody></table>')
    if more:
        out.append('<p>In report.json only: %s.</p>' % e('; '.join('fault %d %s: %d more' % item for item in more)))
    out.append('<h2>Hosts</h2><input id="filter" type="search" placeholder="filter hosts (name, status, text)"> '
               '<span id="shown"></span> shown<table id="hosts"><thead><tr><th>host</th><th>state</th>%s</tr></thead><tbody>'
               % ''.join('<th>%d</th>' % n for n in numbers))
    for entry in hosts:
        state = entry['state']
        state_cell = e(state)
        if entry.get('message'):
            state_cell = '<details><summary>%s</summary>%s</details>' % (e(state), e(shown(entry['message'])))
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
                word = '<details><summary>%s</summary><ul>%s</ul></details>' % (word, ''.join('<li>%s</li>' % e(shown(t)) for t in texts))
            cells.append('<td class="%s" data-fault="%d" data-status="%s">%s</td>' % (e(css), number, e(status), word))
        out.append('<tr data-host="%s" data-state="%s"><td>%s</td><td class="%s">%s</td>%s</tr>'
                   % (e(entry['host']), e(state), e(entry['host']), e(state), state_cell, ''.join(cells)))
    out.append('</tbody></table><script>%s</script></body></html>\n' % SCRIPT)
    return ''.join(out)


def write_atomically(path, text):
    """A new file of the run's directory (0640: it holds the hosts' evidence)."""
    partial = path + '.partial'
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640), 'w', encoding='utf-8') as handle:
        handle.write(text)
    os.replace(partial, path)


def run_name(now=None):
    return (now or datetime.datetime.now(datetime.timezone.utc)).strftime('%Y%m%dT%H%M%SZ')


def report_json(run, summary, hosts):
    """report.json: one host per line (json's fast encoder: an indented dump of 2,000 reports
    takes seconds)."""
    head = json.dumps({'schema': SCHEMA, 'run': run, 'summary': summary})
    rows = ',\n'.join(json.dumps(entry) for entry in hosts)
    return head[:-1] + ', "hosts": [\n' + rows + '\n]}\n'


def unique(hosts):
    """The entries by host name, the first of each name (a name twice would count twice)."""
    seen = set()
    kept = []
    for entry in hosts:
        name = entry.get('host') if isinstance(entry, dict) else None
        if name not in seen:
            seen.add(name)
            kept.append(entry)
    return kept


def point_latest(directory, run):
    """directory/latest -> run, replaced atomically; None, or why it was left as it is."""
    latest = os.path.join(directory, 'latest')
    if os.path.lexists(latest) and not os.path.islink(latest):
        return '%s is not a symbolic link: left as it is (the report is in %s)' % (latest, run)
    link = '%s.partial.%d' % (latest, os.getpid())
    try:
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(run, link)
        os.replace(link, latest)
    except OSError as error:
        return 'cannot point %s at %s: %s' % (latest, run, error)
    return None


def write(hosts, directory, run=None):
    """Writes the report of the host entries in directory/RUN (RUN: the controller's UTC time;
    -2, -3... when taken), points directory/latest at it, and returns (the run's directory, the
    summary). The summary's 'notes' say what the report could not do (latest left alone, host
    names given twice)."""
    run = run or run_name()
    entries = unique(hosts)
    entries = sorted(entries, key=lambda entry: clean(entry.get('host')) if isinstance(entry, dict) else '')
    views = [normalized(entry) for entry in entries]
    summary = summarize(views)
    books = playbooks(summary)
    numbers = fault_numbers(summary)
    notes = []
    if len(entries) != len(hosts):
        notes.append('%d host entries named a host given before: left out' % (len(hosts) - len(entries)))
    target = os.path.join(directory, run)
    suffix = 1
    while os.path.lexists(target):
        suffix += 1
        target = os.path.join(directory, '%s-%d' % (run, suffix))
    os.makedirs(os.path.join(target, 'playbooks'), mode=0o750)
    os.chmod(target, 0o750)
    run = os.path.basename(target)
    write_atomically(os.path.join(target, 'report.json'), report_json(run, summary, entries))
    write_atomically(os.path.join(target, 'report.csv'), render_csv(views, numbers))
    write_atomically(os.path.join(target, 'report.md'), render_markdown(run, views, summary, numbers))
    write_atomically(os.path.join(target, 'report.html'), render_html(run, views, summary, numbers))
    for name, text in books.items():
        write_atomically(os.path.join(target, 'playbooks', name), text)
    note = point_latest(directory, run)
    if note:
        notes.append(note)
    summary['notes'] = notes
    return target, summary


def main(argv):
    if len(argv) != 3:
        sys.stderr.write('usage: fleet_report.py HOSTS.json DIR  (HOSTS.json: a list of host entries, or a report.json)\n')
        return 64
    with open(argv[1], encoding='utf-8') as handle:
        data = json.load(handle)
    hosts = data['hosts'] if isinstance(data, dict) else data
    target, summary = write(hosts, argv[2])
    for note in summary['notes']:
        sys.stderr.write('fleet_report.py: %s\n' % note)
    print(target)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
