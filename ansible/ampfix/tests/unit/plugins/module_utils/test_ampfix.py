# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.ampfix.ampfix.plugins.module_utils.ampfix import (
    build_argv, diff, extra_arguments, fault_arguments, interpret, interpret_preflight, interpret_undo, known_faults, missing_binary,
    parse_report, unknown_faults)


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
    (['--prometheus', '/var/lib/prometheus/node-exporter/ampfix.prom'], '--prometheus', 'ampfix_metrics_file'),
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
    # The list of valid values is not cut off after its heading.
    listed = interpret(None, 64, "Error: The value '99' is invalid for '--fault <N>'. Please provide one of the following:\n  - 5\n  - 6\n  - 19\n")
    assert listed['msg'] == "Error: The value '99' is invalid for '--fault <N>'. Please provide one of the following: 5, 6, 19"
    # ampfix's error, not the progress line before it (another ampfix held the lock).
    waited = interpret(None, 2, "ampfix: waiting for another ampfix to finish on / (lock /run/ampfix.lock)\n"
                                "ampfix: error: cannot lock /run/ampfix.lock: another ampfix is still running on / after 3 s\n")
    assert waited['msg'] == "ampfix: error: cannot lock /run/ampfix.lock: another ampfix is still running on / after 3 s"
    runtime = interpret(parse_report(''), 2, 'ampfix: error: cannot open /run/ampfix.lock: Permission denied\n')
    assert runtime['failed'] is True and runtime['msg'].startswith('ampfix: error: cannot open')


def test_accepted_faults_are_neither_present_nor_failed():
    result = interpret(report([fault(16, 'accepted'), fault(5, 'present')]), 1, '')
    assert result['accepted'] == [16] and result['present'] == [5] and 'failed' not in result


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
    assert result['failed_actions'] == [{'fault': None, 'summary': 'install cisco-secure-bpf', 'reason': 'cannot commit'}]


def test_a_failed_repairs_message_stays_short_and_the_report_stays_in_the_result():
    many = report([fault(n, 'present', [action('failed', summary='step %d' % n)]) for n in (5, 6, 7, 8, 9)])
    for n, entry in enumerate(many['faults']):
        entry['actions'][0]['reason'] = 'x' * 5000 + str(n)
    result = interpret(many, 1, '')
    assert result['failed'] is True and len(result['msg']) < 1000, len(result['msg'])
    assert result['msg'].startswith('ampfix could not apply 5 actions: step 5 (') and result['msg'].endswith('and 2 more (failed_actions)')
    assert result['report'] is many and len(result['failed_actions']) == 5


def test_faults_are_checked_against_what_the_installed_ampfix_knows():
    listed = json.dumps([{'id': 5, 'title': 'a'}, {'id': 19, 'title': 'b'}])
    assert known_faults(listed) == [5, 19]
    assert known_faults('not json') is None and known_faults('{}') is None
    assert unknown_faults(['5', 'all'], [5, 19]) is None
    assert unknown_faults(['99'], [5, 19]) == 'faults: 99 is not a fault this ampfix knows (5, 19)'
    assert unknown_faults(['99', 'x', '19'], [5, 19]) == 'faults: 99, x are not a fault this ampfix knows (5, 19)'


def test_a_host_without_ampfix_is_told_what_to_install(tmp_path):
    missing = missing_binary(str(tmp_path / 'ampfix'))
    assert missing['failed'] is True and missing['exit_status'] == 127 and missing['report'] == {}
    assert 'role ampfix.ampfix.ampfix' in missing['msg'] and str(tmp_path / 'ampfix') in missing['msg']
    present = tmp_path / 'present'
    present.write_text('#!/bin/sh\n')
    present.chmod(0o755)
    assert missing_binary(str(present)) is None


def test_the_info_module_leaves_repair_only_options_out():
    assert build_argv('/usr/sbin/ampfix', extra_args=['--wait', '5m', '--no-restart', '--ampcli', '/x'], drop_repair_only=True) == \
        ['/usr/sbin/ampfix', '--json', '--ampcli', '/x']


def test_only_an_ampfix_report_is_a_report():
    assert parse_report('{"schema": "ampfix.report/1", "faults": []}') == {'schema': 'ampfix.report/1', 'faults': []}
    assert parse_report(json.dumps({'runs': []})) is None
    assert parse_report('not json') is None
    assert diff(report([]), False) is None


def prediction(check, outcome, blocks=False, fault=None, fixable=False):
    return {'check': check, 'fault': fault, 'outcome': outcome, 'blocks': blocks, 'fixable': fixable, 'title': check,
            'evidence': ['e'], 'prevention': []}


def preflight(predictions):
    return {'schema': 'ampfix.preflight/1', 'predictions': predictions,
            'blocking': any(p['outcome'] == 'predicted' and p['blocks'] for p in predictions)}


@pytest.mark.parametrize('options, check_mode, expected', [
    (dict(state='preflight'), False, ['/usr/sbin/ampfix', 'preflight', '--json']),
    # Check mode keeps no record of the predictions.
    (dict(state='preflight', root='/srv/img'), True, ['/usr/sbin/ampfix', 'preflight', '--root', '/srv/img', '--no-record', '--json']),
    # The same extra_args as a repair's: what only changes a repair is left out.
    (dict(state='preflight', extra_args=['--no-restart', '--kernel', '6.1.0-28-amd64', '--wait', '60', '--bpf-objects', '/usr/lib/ampfix/bpf']), False,
     ['/usr/sbin/ampfix', 'preflight', '--json', '--kernel', '6.1.0-28-amd64', '--bpf-objects', '/usr/lib/ampfix/bpf']),
])
def test_preflight_argv(options, check_mode, expected):
    assert build_argv('/usr/sbin/ampfix', check_mode=check_mode, **options) == expected


def test_preflight_refuses_what_it_refuses_elsewhere():
    for extra_args in (['--fault', '5'], ['preflight'], ['--dry-run']):
        with pytest.raises(ValueError):
            build_argv('/usr/sbin/ampfix', state='preflight', extra_args=extra_args)
    with pytest.raises(ValueError, match='preflight'):
        build_argv('/usr/sbin/ampfix', state='audited')


def test_a_prediction_is_a_result_and_blocking_says_whether_monitoring_would_fail():
    result = interpret_preflight(preflight([
        prediction('5', 'predicted', fault=5, fixable=True), prediction('19', 'predicted', blocks=True, fault=19, fixable=True),
        prediction('11', 'predicted', blocks=True, fault=11), prediction('16', 'clear', blocks=True, fault=16),
        prediction('fanotify', 'unknown'),
    ]), 1, '')
    assert not result.get('failed') and result['changed'] is False
    assert result['blocking'] is True
    assert result['predicted'] == ['5', '19', '11']
    assert result['blocking_predicted'] == ['19', '11']
    assert result['fixable'] == [5, 19]
    assert result['unknown'] == ['fanotify']
    assert [p['check'] for p in result['predictions']] == ['5', '19', '11', '16', 'fanotify']

    clear = interpret_preflight(preflight([prediction('5', 'clear', fault=5), prediction('16', 'clear', blocks=True, fault=16)]), 0, '')
    assert clear['blocking'] is False and clear['predicted'] == [] and not clear.get('failed')


def test_preflight_failures():
    unknown = preflight([prediction('16', 'unknown', blocks=True, fault=16)])
    assert interpret_preflight(unknown, 2, '')['failed'] is True
    assert not interpret_preflight(unknown, 2, '', fail_on_unknown=False).get('failed')
    usage = interpret_preflight(None, 64, 'ampfix: --kernel needs a value\n')
    assert usage['failed'] is True and usage['msg'] == 'ampfix: --kernel needs a value'
    # A diagnosis report is not a preflight's.
    assert parse_report(json.dumps(report([])), 'ampfix.preflight/') is None
    assert parse_report(json.dumps(preflight([])), 'ampfix.preflight/') is not None


@pytest.mark.parametrize('options, check_mode, expected', [
    (dict(state='undone'), False, ['/usr/sbin/ampfix', 'undo', '--json']),
    (dict(state='undone'), True, ['/usr/sbin/ampfix', 'undo', '--dry-run', '--json']),
    (dict(state='undone', root='/srv/img', run_id='20261205T134426336Z-19279', extra_args=['--lock-timeout', '5']), False,
     ['/usr/sbin/ampfix', 'undo', '--root', '/srv/img', '20261205T134426336Z-19279', '--json', '--lock-timeout', '5']),
])
def test_undo_argv(options, check_mode, expected):
    assert build_argv('/usr/sbin/ampfix', check_mode=check_mode, **options) == expected


@pytest.mark.parametrize('options, words', [
    (dict(state='undone', extra_args=['--kernel-support', '/srv/k.tsv']), 'not an option of an undo'),
    (dict(state='repaired', faults=['5'], run_id='20261205T134426336Z-19279'), 'use it with state: undone'),
])
def test_undo_refuses(options, words):
    with pytest.raises(ValueError, match=words):
        build_argv('/usr/sbin/ampfix', **options)


def undo_report(*items, run='20261205T134426336Z-19279'):
    return {'schema': 'ampfix.undo/1', 'run': run, 'items': list(items)}


# Targets as ampfix names them; pure data, no file is touched.
TREE = 'connector-tree'


def item(outcome, target=TREE, reason=None):
    return {'fault': 5, 'target': target, 'before': 'mode 0755 owner 0:0', 'after': 'mode 0700 owner 0:0',
            'summary': 'set %s: mode 0755 -> 0700' % target, 'outcome': outcome, 'reason': reason}


def test_undo_reverted_is_changed_with_a_diff():
    result = interpret_undo(undo_report(item('reverted'), item('not-reversible', 'connector')), 0, '', want_diff=True)
    assert result['changed'] and not result.get('failed')
    assert result['run'] == '20261205T134426336Z-19279'
    assert result['diff']['before'] == TREE + ': mode 0755 owner 0:0\n'
    assert result['diff']['after'] == TREE + ': mode 0700 owner 0:0\n'


def test_undo_check_mode_counts_planned_and_fails_on_what_it_would_leave():
    planned = interpret_undo(undo_report(item('planned')), 0, '', check_mode=True)
    assert planned['changed'] and not planned.get('failed')
    assert not interpret_undo(undo_report(item('planned')), 0, '', check_mode=False)['changed']
    left = interpret_undo(undo_report(item('planned'), item('skipped', TREE + '/var', 'changed since the run')), 1, '', check_mode=True)
    assert left['failed'] and left['left'][0]['target'] == TREE + '/var'
    assert 'would leave 1 change' in left['msg'] and 'changed since the run' in left['msg']


def test_nothing_to_undo_is_not_a_failure():
    result = interpret_undo(undo_report(run=None), 0, '')
    assert not result['changed'] and not result.get('failed') and 'nothing to undo' in result['msg']


def test_undo_error_is_ampfixs_error_line():
    result = interpret_undo(None, 2, "ampfix: error: no run 'x' in the journal; `ampfix undo --list` shows the runs\n")
    assert result['failed'] and result['msg'].startswith("ampfix: error: no run 'x'")


def test_undoing_a_named_run_again_is_not_a_failure():
    stderr = 'ampfix: error: run 20261205T134426336Z-19279 was already undone\n'
    again = interpret_undo(None, 2, stderr, run_id='20261205T134426336Z-19279')
    assert not again.get('failed') and not again['changed'] and again['run'] == '20261205T134426336Z-19279'
    assert interpret_undo(None, 2, stderr)['failed'], 'without run_id the newest run is meant: the error stands'


def test_an_inexact_plan_fails_with_ampfixs_reason():
    report = dict(undo_report(run=None), recovered=['run X was interrupted; the next repair or undo will complete it first'])
    result = interpret_undo(report, 1, '', check_mode=True)
    assert result['failed'] and 'run X was interrupted' in result['msg']
