# -*- coding: utf-8 -*-
# Copyright: ampfix maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ampfix modules share: the command line built from the options, and ampfix's JSON
report turned into the module's result. Pure functions: the unit tests call them directly."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# ampfix's exit statuses (ampfix(8)).
HEALTHY, FAULTS_REMAIN, COULD_NOT_EVALUATE, USAGE = 0, 1, 2, 64


def fault_arguments(faults):
    """['all'] -> ['--all']; [5, '19'] -> ['--fault', '5', '--fault', '19']; a bad value raises ValueError."""
    names = [str(fault).strip() for fault in faults or []]
    if not names:
        raise ValueError("faults: name at least one fault number, or [all]")
    if 'all' in names:
        if len(names) > 1:
            raise ValueError("faults: [all] stands alone")
        return ['--all']
    arguments = []
    for name in names:
        if not name.isdigit():
            raise ValueError("faults: %r is not a fault number (or all)" % name)
        arguments += ['--fault', str(int(name))]
    return arguments


def build_argv(binary, root='/', state='diagnosed', faults=None, check_mode=False, extra_args=None):
    """The ampfix command line for the options. A diagnosis changes nothing, so check mode runs
    it as it is; a repair in check mode is ampfix's own --dry-run (the exact plan)."""
    argv = [binary]
    if root and root != '/':
        argv += ['--root', root]
    if state == 'repaired':
        selected = fault_arguments(faults)
        argv += ['--dry-run'] + selected if check_mode else selected
    elif state != 'diagnosed':
        raise ValueError("state: %r is not diagnosed or repaired" % state)
    argv += ['--json'] + [str(argument) for argument in extra_args or []]
    return argv


def parse_report(stdout):
    """ampfix's JSON report, or None when it printed none (a usage or runtime error)."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return None
    return report if isinstance(report, dict) and str(report.get('schema', '')).startswith('ampfix.report/') else None


def actions(report):
    return [action for fault in report.get('faults', []) for action in fault.get('actions', [])]


def diff(report, check_mode):
    """The planned (check mode) or applied actions as before/after text, one line each, the way
    ansible.builtin.user shows its changes; None when there are none."""
    wanted = ('planned',) if check_mode else ('applied',)
    chosen = [action for action in actions(report) if action.get('outcome') in wanted]
    if not chosen:
        return None
    before = ''.join('%s: %s\n' % (action['target'], action['before']) for action in chosen)
    after = ''.join('%s: %s\n' % (action['target'], action['after']) for action in chosen)
    return {'before': before, 'after': after, 'before_header': 'ampfix (before)', 'after_header': 'ampfix (after)'}


def first_line(text):
    for line in (text or '').splitlines():
        if line.strip():
            return line.strip()
    return ''


def interpret(report, exit_status, stderr, check_mode=False, fail_on_unknown=True, want_diff=False):
    """The module's result for one ampfix run: changed only when an action was applied (in check
    mode: when actions are planned); present faults are a result, not a failure; a usage error,
    a runtime error, and (unless fail_on_unknown is false) a fault ampfix could not evaluate fail."""
    result = {'changed': False, 'exit_status': exit_status, 'present': [], 'unknown': [], 'report': report or {}}
    if report is None:
        result['failed'] = True
        result['msg'] = first_line(stderr) or 'ampfix exited with status %d and printed no report' % exit_status
        return result
    faults = report.get('faults', [])
    result['present'] = [fault['id'] for fault in faults if fault.get('status') == 'present']
    result['unknown'] = [fault['id'] for fault in faults if fault.get('status') == 'unknown']
    outcomes = [action.get('outcome') for action in actions(report)]
    result['changed'] = ('planned' in outcomes) if check_mode else ('applied' in outcomes)
    if want_diff:
        shown = diff(report, check_mode)
        if shown:
            result['diff'] = shown
    if exit_status == USAGE:
        result['failed'] = True
        result['msg'] = first_line(stderr) or 'ampfix: usage error'
    elif exit_status == COULD_NOT_EVALUATE and fail_on_unknown:
        result['failed'] = True
        result['msg'] = first_line(stderr) or 'ampfix could not evaluate faults %s' % ', '.join(str(f) for f in result['unknown'])
    elif exit_status not in (HEALTHY, FAULTS_REMAIN, COULD_NOT_EVALUATE):
        result['failed'] = True
        result['msg'] = first_line(stderr) or 'ampfix exited with status %d' % exit_status
    if 'failed' in outcomes and not result.get('failed'):
        failed = [a for a in actions(report) if a.get('outcome') == 'failed']
        result['failed'] = True
        result['msg'] = 'ampfix could not apply: ' + '; '.join('%s (%s)' % (a['summary'], a.get('reason', '')) for a in failed)
    return result


def run(module, argv, **options):
    """Runs ampfix for a module (LC_ALL=C.UTF-8: stable messages) and exits with the result of
    `interpret(..., **options)`; the command line is in the result."""
    status, stdout, stderr = module.run_command(argv, environ_update={'LC_ALL': 'C.UTF-8'})
    result = interpret(parse_report(stdout), status, stderr, **options)
    result['command'] = argv
    if result.get('failed'):
        module.fail_json(**result)
    module.exit_json(**result)
