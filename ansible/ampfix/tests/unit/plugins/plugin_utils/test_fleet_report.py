# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import csv
import json
import os

from ansible_collections.ampfix.ampfix.plugins.plugin_utils.fleet_report import normalized, playbooks, summarize, write


def message(text, *arguments):
    return {'id': text, 'arguments': list(arguments)}


def fault(number, status, evidence=(), repairable=True, raised='no'):
    texts = [m['id'].replace('%1$s', m['arguments'][0]) if m['arguments'] else m['id'] for m in evidence]
    return {'id': number, 'title': 'Fault %d' % number, 'status': status, 'repairable': repairable, 'raisedByConnector': raised,
            'evidence': texts, 'evidenceMessages': list(evidence)}


def host(name, *faults, root='/'):
    return {'host': name, 'state': 'diagnosed', 'message': '', 'report': {'schema': 'ampfix.report/3', 'root': root, 'faults': list(faults)}}


HEADERS_28 = message('no headers for %1$s', '6.1.0-28-amd64')
HEADERS_30 = message('no headers for %1$s', '6.1.0-30-amd64')


def fleet():
    return [
        host('a', fault(11, 'present', [HEADERS_28]), fault(5, 'ok')),
        host('b', fault(11, 'present', [HEADERS_28]), fault(5, 'present', [message('user %1$s missing', 'cisco-amp-scan-svc')], raised='yes')),
        host('c', fault(11, 'present', [HEADERS_30]), fault(5, 'unknown', [message('cannot read %1$s', 'the shadow file')])),
        host('d', fault(11, 'accepted', [HEADERS_28]), fault(5, 'ok')),
        {'host': 'e', 'state': 'failed', 'message': 'Install ampfix: no package', 'report': {}},
        {'host': 'f', 'state': 'no-result', 'message': 'unreachable', 'report': {}},
    ]


def summary_of(hosts):
    return summarize([normalized(entry) for entry in hosts])


def test_findings_group_hosts_by_message_id_and_arguments():
    summary = summary_of(fleet())
    groups = dict(((g['fault'], g['status'], g['text']), g['hosts']) for g in summary['findings'])
    assert groups[(11, 'present', 'no headers for 6.1.0-28-amd64')] == ['a', 'b']
    assert groups[(11, 'present', 'no headers for 6.1.0-30-amd64')] == ['c']
    assert groups[(11, 'accepted', 'no headers for 6.1.0-28-amd64')] == ['d']
    assert summary['faults']['11']['present'] == 3 and summary['faults']['11']['accepted'] == 1
    assert summary['faults']['5'] == dict(present=1, raised=1, unknown=1, accepted=0, ok=2, title='Fault 5', **{'not-applicable': 0})
    assert summary['states'] == {'diagnosed': 4, 'failed': 1, 'no-result': 1}


def test_the_same_message_in_another_language_is_the_same_finding():
    hosts = [host('a', fault(11, 'present', [HEADERS_28])), host('b', fault(11, 'present', [HEADERS_28]))]
    hosts[1]['report']['faults'][0]['evidence'] = ['6.1.0-28-amd64 没有头文件']
    assert [(g['hosts'], g['text']) for g in summary_of(hosts)['findings']] == [(['a', 'b'], 'no headers for 6.1.0-28-amd64')]


def test_written_files_and_the_repair_playbooks(tmp_path):
    target, summary = write(fleet(), str(tmp_path), run='20261205T140000Z')
    assert os.path.basename(target) == '20261205T140000Z' and os.readlink(os.path.join(str(tmp_path), 'latest')) == '20261205T140000Z'
    with open(os.path.join(target, 'report.csv'), encoding='utf-8') as handle:
        rows = list(csv.DictReader(handle))
    assert [(r['host'], r['state'], r['fault 5'], r['fault 11']) for r in rows] == [
        ('a', 'diagnosed', 'ok', 'present'), ('b', 'diagnosed', 'present (raised)', 'present'), ('c', 'diagnosed', 'unknown', 'present'),
        ('d', 'diagnosed', 'ok', 'accepted'), ('e', 'failed', '', ''), ('f', 'no-result', '', '')]
    books = dict((g['text'], g.get('playbooks')) for g in summary['findings'] if g['status'] == 'present')
    assert books['no headers for 6.1.0-30-amd64'] != books['no headers for 6.1.0-28-amd64']
    with open(os.path.join(target, books['no headers for 6.1.0-28-amd64'][0]), encoding='utf-8') as handle:
        book = handle.read()
    assert '    - !unsafe "a"\n    - !unsafe "b"\n' in book and 'ampfix_repair_faults: [11]' in book and 'ampfix_root' not in book
    assert oct(os.stat(target).st_mode & 0o777) == '0o750' and oct(os.stat(os.path.join(target, 'report.csv')).st_mode & 0o777) == '0o640'
    with open(os.path.join(target, 'report.md'), encoding='utf-8') as handle:
        markdown = handle.read()
    assert '- fault 11 present: 2 hosts: no headers for 6.1.0-28-amd64' in markdown
    assert '- c, fault 5: cannot read the shadow file' in markdown
    with open(os.path.join(target, 'report.json'), encoding='utf-8') as handle:
        data = json.load(handle)
    assert data['schema'] == 'ampfix.fleet-report/1' and [h['host'] for h in data['hosts']] == ['a', 'b', 'c', 'd', 'e', 'f']
    # A second run in the same second gets a directory of its own; latest follows.
    second = write(fleet(), str(tmp_path), run='20261205T140000Z')[0]
    assert os.path.basename(second) == '20261205T140000Z-2' and os.readlink(os.path.join(str(tmp_path), 'latest')) == '20261205T140000Z-2'


def test_host_text_is_escaped_in_the_page(tmp_path):
    hostile = host('<img src=x onerror=alert(1)>', fault(5, 'present', [message('user %1$s missing', '</td><script>alert(2)</script>')]))
    target = write([hostile], str(tmp_path), run='x')[0]
    with open(os.path.join(target, 'report.html'), encoding='utf-8') as handle:
        page = handle.read()
    assert '<img src=x' not in page and '<script>alert' not in page
    assert '&lt;img src=x onerror=alert(1)&gt;' in page and page.count('<script>') == 1
    with open(os.path.join(target, 'report.md'), encoding='utf-8') as handle:
        markdown = handle.read()
    assert '<img' not in markdown and '<script' not in markdown and '| &lt;img src=x onerror=alert(1)&gt; |' in markdown


def test_a_finding_on_hosts_with_different_roots_gets_a_playbook_per_root():
    hosts = [host('a', fault(5, 'present', [message('x')])), host('b', fault(5, 'present', [message('x')]), root='/srv/img'),
             host('c', fault(5, 'present', [message('x')]), root="/{{ lookup('pipe', 'id') }}")]
    summary = summary_of(hosts)
    written = playbooks(summary)
    group = summary['findings'][0]
    assert len(written) == 2 and len(group['playbooks']) == 2 and 'no plain path' in group['no_playbook']
    assert any('ampfix_root: !unsafe "/srv/img"' in text for text in written.values())
    assert not any('lookup' in text for text in written.values())


def test_what_a_host_sends_cannot_add_plays_or_crash_the_report(tmp_path):
    """A title with a newline and YAML, a report whose faults are no list, a fault whose id is
    no number, a lone surrogate, a host name twice: one play per playbook, every host a row."""
    evil = fault(5, 'present', [message('user %1$s missing', 'cisco-amp-scan-svc')])
    evil['title'] = 'x\n- hosts: all\n  tasks:\n    - shell: touch /tmp/owned'
    evil['evidence'] = ['harmless: nothing to see \ud800']
    hosts = [host('aaa', evil), host('b', fault(5, 'present', [message('user %1$s missing', 'cisco-amp-scan-svc')])),
             {'host': 'c', 'state': 'diagnosed', 'report': {'faults': 'none'}},
             {'host': 'd', 'state': 'diagnosed', 'report': {'faults': [{'id': True}, 7, {'id': 5, 'status': 'ok'}]}},
             {'host': '=HYPERLINK("x")', 'state': 'bogus', 'message': '+1', 'report': {}}, host('b')]
    target, summary = write(hosts, str(tmp_path), run='r')
    assert summary['hosts'] == 5 and summary['notes'] == ['1 host entries named a host given before: left out']
    group = [g for g in summary['findings'] if g['fault'] == 5][0]
    assert group['hosts'] == ['aaa', 'b'] and group['text'] == 'user cisco-amp-scan-svc missing', 'the message, not the first host, says it'
    with open(os.path.join(target, group['playbooks'][0]), encoding='utf-8') as handle:
        book = handle.read()
    assert [line for line in book.splitlines() if line.startswith('- ')] == ['- name: "Repair fault 5 where the fleet report found it"']
    with open(os.path.join(target, 'report.csv'), encoding='utf-8') as handle:
        rows = list(csv.DictReader(handle))
    assert [row['host'] for row in rows] == ['\'=HYPERLINK("x")', 'aaa', 'b', 'c', 'd']
    assert rows[0]['state'] == 'no-result' and rows[0]['message'].startswith('state "bogus" is none of')
    assert 'no list of faults' in rows[3]['message'] and rows[4]['fault 5'] == 'ok' and '2 entries' in rows[4]['message']


def test_latest_that_is_no_link_is_left_and_said(tmp_path):
    os.mkdir(os.path.join(str(tmp_path), 'latest'))
    target, summary = write(fleet(), str(tmp_path), run='r')
    assert os.path.isdir(os.path.join(str(tmp_path), 'latest')) and 'is not a symbolic link' in summary['notes'][0]
    assert os.path.exists(os.path.join(target, 'report.html'))


def test_host_names_that_are_patterns_stay_out_of_playbooks():
    hosts = [host(name, fault(5, 'present', [message('x')])) for name in ('web01', 'all', '*', 'a:b', '~.*', 'db[1:3]')]
    summary = summary_of(hosts)
    written = playbooks(summary)
    assert list(written.values())[0].count('    - !unsafe') == 1 and '"web01"' in list(written.values())[0]
    assert 'Ansible patterns' in summary['findings'][0]['no_playbook']
