# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.ampfix.ampfix.plugins.module_utils.ampfix import (
    build_argv, diff, fault_arguments, interpret, parse_report)


def report(faults):
    return {'schema': 'ampfix.report/1', 'faults': faults}


def fault(number, status, actions=()):
    return {'id': number, 'status': status, 'actions': list(actions)}


def action(outcome, target='group cisco-amp-scan-svc', before='absent', after='present', summary='create group'):
    return {'outcome': outcome, 'target': target, 'before': before, 'after': after, 'summary': summary}


@pytest.mark.parametrize('options, check_mode, expected', [
    (dict(state='diagnosed'), False, ['/usr/sbin/ampfix', '--json']),
    (dict(state='diagnosed'), True, ['/usr/sbin/ampfix', '--json']),
    (dict(state='repaired', faults=['5', 19]), False, ['/usr/sbin/ampfix', '--fault', '5', '--fault', '19', '--json']),
    (dict(state='repaired', faults=['all']), True, ['/usr/sbin/ampfix', '--dry-run', '--all', '--json']),
    (dict(state='repaired', faults=['5'], root='/srv/img', extra_args=['--no-restart']), False,
     ['/usr/sbin/ampfix', '--root', '/srv/img', '--fault', '5', '--json', '--no-restart']),
])
def test_argv_from_options(options, check_mode, expected):
    assert build_argv('/usr/sbin/ampfix', check_mode=check_mode, **options) == expected


@pytest.mark.parametrize('faults', [[], ['all', '5'], ['five'], ['-5'], None])
def test_bad_fault_lists_are_refused(faults):
    with pytest.raises(ValueError):
        fault_arguments(faults)


def test_changed_only_when_an_action_was_applied():
    applied = report([fault(5, 'ok', [action('applied')]), fault(19, 'present')])
    result = interpret(applied, 1, '', want_diff=True)
    assert result['changed'] is True and result['present'] == [19] and 'failed' not in result
    assert result['diff']['before'] == 'group cisco-amp-scan-svc: absent\n'
    assert result['diff']['after'] == 'group cisco-amp-scan-svc: present\n'
    again = interpret(report([fault(5, 'ok'), fault(19, 'present')]), 1, '')
    assert again['changed'] is False and 'diff' not in again


def test_check_mode_is_changed_exactly_when_actions_are_planned():
    planned = report([fault(5, 'present', [action('planned'), action('would-fail')])])
    assert interpret(planned, 1, '', check_mode=True)['changed'] is True
    assert interpret(planned, 1, '', check_mode=True, want_diff=True)['diff']['after'] == 'group cisco-amp-scan-svc: present\n'
    nothing = report([fault(5, 'present', [action('would-fail')])])
    assert interpret(nothing, 1, '', check_mode=True)['changed'] is False


def test_usage_and_runtime_errors_fail_with_ampfixs_line():
    usage = interpret(None, 64, "Error: The value '99' is invalid for '--fault <N>'.\nUsage: ampfix ...\n")
    assert usage['failed'] is True and usage['msg'] == "Error: The value '99' is invalid for '--fault <N>'."
    runtime = interpret(parse_report(''), 2, 'ampfix: error: cannot open /run/ampfix.lock: Permission denied\n')
    assert runtime['failed'] is True and runtime['msg'].startswith('ampfix: error: cannot open')


def test_unknown_fails_unless_told_not_to():
    unknown = report([fault(16, 'unknown'), fault(5, 'ok')])
    assert interpret(unknown, 2, '')['failed'] is True
    relaxed = interpret(unknown, 2, '', fail_on_unknown=False)
    assert 'failed' not in relaxed and relaxed['unknown'] == [16]


def test_a_failed_action_fails_the_task():
    failed = report([fault(19, 'present', [action('failed', summary='install cisco-secure-bpf')])])
    failed['faults'][0]['actions'][0]['reason'] = 'cannot commit'
    result = interpret(failed, 1, '')
    assert result['failed'] is True and 'install cisco-secure-bpf (cannot commit)' in result['msg']


def test_only_an_ampfix_report_is_a_report():
    assert parse_report('{"schema": "ampfix.report/1", "faults": []}') == {'schema': 'ampfix.report/1', 'faults': []}
    assert parse_report(json.dumps({'runs': []})) is None
    assert parse_report('not json') is None
    assert diff(report([]), False) is None
