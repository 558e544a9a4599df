# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.ampfix.ampfix.plugins.module_utils.ampfix import (
    build_argv, diff, extra_arguments, fault_arguments, interpret, parse_report)


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


@pytest.mark.parametrize('extra_args, expected', [
    (['--ampcli', '/opt/cisco/amp/bin/ampcli', '--kernel-support=/srv/kernel-support.tsv', '--lang', 'de'],
     ['--ampcli', '/opt/cisco/amp/bin/ampcli', '--kernel-support=/srv/kernel-support.tsv', '--lang', 'de']),
    (['--module-source', '/usr/src/ampfsm-1.0', '--module-source', '/usr/src/ampnetworkflow-1.0', '-vv', '--no-journal'],
     ['--module-source', '/usr/src/ampfsm-1.0', '--module-source', '/usr/src/ampnetworkflow-1.0', '-vv', '--no-journal']),
    # A value is a value, even one that looks like an option or names a subcommand.
    (['--lock-timeout', '-5', '--status-timeout', '--all', '--kernel', 'undo', '--definitions=--all'],
     ['--lock-timeout', '-5', '--status-timeout', '--all', '--kernel', 'undo', '--definitions=--all']),
])
def test_extra_args_that_only_point_at_inputs_or_tune_output_are_passed(extra_args, expected):
    assert extra_arguments(extra_args) == expected
    assert build_argv('/usr/sbin/ampfix', state='diagnosed', check_mode=True, extra_args=extra_args) == ['/usr/sbin/ampfix', '--json'] + expected


@pytest.mark.parametrize('extra_args, named, instead', [
    (['--all'], '--all', 'faults: [all]'),
    (['--no-restart', '--fault', '5'], '--fault', "faults option"),
    (['--fault=5'], '--fault', "faults option"),
    (['--dry-run'], '--dry-run', 'check mode'),
    (['--root', '/'], '--root', "root option"),
    (['--root=/srv/other'], '--root', "root option"),
    (['--json'], '--json', "JSON report"),
    (['-q'], '-q', "report"),
    (['-vq'], '-vq', "--quiet"),
    (['--prometheus', '/var/lib/prometheus/node-exporter/ampfix.prom'], '--prometheus', 'ampfix_audit_timer'),
    (['--help'], '--help', 'state and faults'),
    (['-h'], '-h', 'state and faults'),
    (['--version'], '--version', 'state and faults'),
    (['undo'], 'undo', 'subcommand'),
    (['--lang', 'en', 'collect', '--output', '/tmp/b.tar.gz'], 'collect', 'subcommand'),
    (['--', 'undo'], '--', 'only options'),
    (['-5'], '-5', 'only options'),
    (['--generate-completion-script', 'bash'], '--generate-completion-script', '--ampcli'),
    (['-x'], '-x', '--ampcli'),
    (['--verbose=1'], '--verbose=1', 'no value'),
    (['--ampcli'], '--ampcli', 'needs a value'),
    (['--ampcli', '--all'], '--ampcli', '--ampcli=VALUE'),
])
def test_extra_args_that_change_the_command_or_the_mode_are_refused(extra_args, named, instead):
    for state, check_mode in [('diagnosed', False), ('diagnosed', True), ('repaired', False), ('repaired', True)]:
        with pytest.raises(ValueError) as refused:
            build_argv('/usr/sbin/ampfix', state=state, faults=['5'], check_mode=check_mode, extra_args=extra_args)
        message = str(refused.value)
        assert message.startswith('extra_args: %s ' % named) and instead in message


def test_check_mode_runs_nothing_that_changes_the_host():
    # A diagnosis changes nothing: it runs as it is (a --dry-run would plan every fault); a repair is a dry run.
    assert '--dry-run' not in build_argv('/usr/sbin/ampfix', state='diagnosed', check_mode=True, extra_args=['--no-restart'])
    argv = build_argv('/usr/sbin/ampfix', state='repaired', faults=['6'], check_mode=True, extra_args=['--wait', '10m', '-v'])
    # ampfix refuses --wait with --dry-run, and a dry run repairs nothing to wait for.
    assert argv == ['/usr/sbin/ampfix', '--dry-run', '--fault', '6', '--json', '-v']
    assert build_argv('/usr/sbin/ampfix', state='repaired', faults=['6'], extra_args=['--wait=10m']) == \
        ['/usr/sbin/ampfix', '--fault', '6', '--json', '--wait=10m']
    with pytest.raises(ValueError, match='^extra_args: --wait watches a repair'):
        build_argv('/usr/sbin/ampfix', state='diagnosed', check_mode=True, extra_args=['--wait', '10m'])


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
