# -*- coding: utf-8 -*-
# Copyright: ampfix maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ampfix modules share: the command line built from the options, and ampfix's JSON
report turned into the module's result. Pure functions: the unit tests call them directly."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

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


# The options extra_args accepts: those that only point ampfix at its inputs (data files, the
# connector's status command, a kernel release, module sources), tune how long it waits or how
# much it reads and says, or make a repair do less. None of them selects the command, the mode,
# the faults or the root, so what ampfix does to the host is still what state and faults say.
# FLAG takes no value; VALUE takes one that does not start with '-' (or --name=VALUE);
# ANY_VALUE takes the next argument whatever it is (ampfix: `--lock-timeout -5` is a value).
FLAG, VALUE, ANY_VALUE = 'flag', 'value', 'any value'
ACCEPTED_OPTIONS = {
    '--policy-module': VALUE,
    '--kernel': VALUE,
    '--kernel-support': VALUE,
    '--definitions': VALUE,
    '--ampcli': VALUE,
    '--module-source': VALUE,
    '--bpf-objects': VALUE,
    '--status-timeout': ANY_VALUE,
    '--lock-timeout': ANY_VALUE,
    '--wait': ANY_VALUE,
    '--lang': VALUE,
    '--verbose': FLAG,
    '--no-restart': FLAG,
    '--no-journal': FLAG,
}
SHORT_OPTIONS = {'-v': '--verbose', '-q': '--quiet', '-h': '--help'}
# The options extra_args refuses, and what to do instead: they choose what ampfix does (the
# mode, the faults, the root, help instead of a run) or how it reports (the module reads JSON).
REFUSED_OPTIONS = {
    '--fault': "selects the faults to repair: use the module's faults option (with state: repaired)",
    '--all': "repairs every fault found: use faults: [all] with state: repaired",
    '--dry-run': "is check mode's: run the task in check mode (--check), which adds it to a repair",
    '--root': "chooses the tree ampfix works on: use the module's root option",
    '--json': "is the module's own: it passes it and reads ampfix's JSON report",
    '--quiet': "changes ampfix's output, which the module reads (its report and messages)",
    '--prometheus': ("writes a file on the host, in check mode too: use ampfix_info's metrics option "
                     "(the role's ampfix_metrics_file)"),
    '--help': "prints help instead of a report: use state and faults to choose what ampfix does",
    '--version': "prints the version instead of a report: use state and faults to choose what ampfix does",
}
# ampfix's subcommands: a positional word could select one (`undo` reverts the last run).
SUBCOMMANDS = ('list', 'explain', 'undo', 'with-user-groups', 'package', 'sample', 'collect', 'check', 'preflight', 'help')
# Options that only change how a repair goes: a preflight repairs nothing, so the module leaves
# them out there (a role passes the same extra_args to every step).
REPAIR_ONLY_OPTIONS = ('--no-restart', '--wait')
STATES = ('diagnosed', 'repaired', 'preflight', 'undone')
# What `ampfix undo` takes of ACCEPTED_OPTIONS: it reads no inputs and repairs nothing.
UNDO_OPTIONS = ('--lock-timeout', '--lang', '--verbose', '--no-journal')


def looks_like_option(argument):
    """As ampfix's parser sees it: '-x', '--x'; not '-' alone, not a negative number."""
    if not argument.startswith('-') or len(argument) < 2:
        return False
    try:
        float(argument)
    except ValueError:
        return True
    return False


def refused(argument, reason):
    return ValueError("extra_args: %s %s" % (argument, reason))


def extra_arguments(extra_args, state='diagnosed', check_mode=False, drop_repair_only=False):
    """extra_args checked against ACCEPTED_OPTIONS, as ampfix's parser would split them into
    options and values: anything else raises ValueError naming the argument and the module
    option to use instead. In check mode --wait (which watches a repair) is left out: the dry
    run repairs nothing, and ampfix refuses --wait with --dry-run. With drop_repair_only (the
    info module, which a role gives the same extra_args as its repair) the options that only
    change a repair are left out of a diagnosis rather than refused."""
    arguments = [str(argument) for argument in extra_args or []]
    accepted = ', '.join(sorted(ACCEPTED_OPTIONS) + ['-v'])
    kept = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        index += 1
        if argument == '--':
            raise refused(argument, "ends ampfix's options (what follows is positional): extra_args takes only options")
        if not looks_like_option(argument):
            if argument in SUBCOMMANDS:
                raise refused(argument, "is an ampfix subcommand: the module runs only the diagnosis (state: diagnosed), "
                                        "the repair (state: repaired) or the preflight (state: preflight)")
            raise refused(argument, "is not an option: extra_args takes only options (%s)" % accepted)
        if not argument.startswith('--'):
            # Short options, bundled as ampfix allows (-vv); none accepted takes a value.
            for letter in argument[1:]:
                name = SHORT_OPTIONS.get('-' + letter)
                if name is None:
                    raise refused(argument, "is not an option extra_args accepts (%s)" % accepted)
                if name in REFUSED_OPTIONS:
                    raise refused(argument, "(%s) %s" % (name, REFUSED_OPTIONS[name]))
            kept.append(argument)
            continue
        name = argument.split('=', 1)[0]
        inline = name != argument
        if name in REFUSED_OPTIONS:
            raise refused(name, REFUSED_OPTIONS[name])
        kind = ACCEPTED_OPTIONS.get(name)
        if kind is None:
            raise refused(name, "is not an option extra_args accepts (%s)" % accepted)
        if name == '--wait' and state == 'diagnosed' and not drop_repair_only:
            raise refused(name, "watches a repair of fault 6: use it with state: repaired")
        option = [argument]
        if kind == FLAG:
            if inline:
                raise refused(argument, "takes no value")
        elif not inline:
            # The next argument is the value, never checked as an option, where ampfix takes it.
            if index == len(arguments) or kind == VALUE and looks_like_option(arguments[index]):
                raise refused(name, "needs a value (a value that starts with '-' is written %s=VALUE)" % name)
            option.append(arguments[index])
            index += 1
        if state == 'undone' and name not in UNDO_OPTIONS:
            raise refused(name, "is not an option of an undo (state: undone takes %s)" % ', '.join(UNDO_OPTIONS))
        leave_out = state == 'preflight' or (state == 'diagnosed' and drop_repair_only)
        if not (check_mode and name == '--wait') and not (leave_out and name in REPAIR_ONLY_OPTIONS):
            kept += option
    return kept


def build_argv(binary, root='/', state='diagnosed', faults=None, check_mode=False, extra_args=None, drop_repair_only=False, run_id=None):
    """The ampfix command line for the options. A diagnosis changes nothing, so check mode runs
    it as it is (--dry-run would make it a plan for every fault); a repair in check mode is
    ampfix's own --dry-run (the exact plan). extra_args cannot change either: see
    `extra_arguments`. A preflight changes nothing but keeps its predictions for a later
    comparison; check mode keeps none (--no-record). An undo reverts the newest run not yet
    undone, or run_id; in check mode it is `ampfix undo --dry-run` (each revert checked)."""
    if state not in STATES:
        raise ValueError("state: %r is not %s" % (state, ', '.join(STATES)))
    if run_id and state != 'undone':
        raise ValueError("run_id: names the run to undo: use it with state: undone")
    if state == 'undone':
        argv = [binary, 'undo'] + (['--root', root] if root and root != '/' else []) + ([run_id] if run_id else [])
        return argv + (['--dry-run'] if check_mode else []) + ['--json'] + extra_arguments(extra_args, state, check_mode)
    argv = [binary] + (['preflight'] if state == 'preflight' else [])
    if root and root != '/':
        argv += ['--root', root]
    if state == 'repaired':
        selected = fault_arguments(faults)
        argv += ['--dry-run'] + selected if check_mode else selected
    if state == 'preflight' and check_mode:
        argv.append('--no-record')
    argv += ['--json'] + extra_arguments(extra_args, state, check_mode, drop_repair_only)
    return argv


def parse_report(stdout, schema='ampfix.report/'):
    """ampfix's JSON report (a preflight's with schema 'ampfix.preflight/'), or None when it
    printed none (a usage or runtime error)."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return None
    return report if isinstance(report, dict) and str(report.get('schema', '')).startswith(schema) else None


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


def error_message(stderr):
    """What ended ampfix's run, from its stderr: its error line ('ampfix: error: ...'), not the
    progress before it ('ampfix: waiting for another ampfix ...'); a usage error with its list
    of valid values kept on one line ('... one of the following: 5, 6, 7'); else the last line."""
    lines = [line.strip() for line in (stderr or '').splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith('ampfix: error')]
    if errors:
        return errors[-1]
    for index, line in enumerate(lines):
        if line.startswith('Error:'):
            words = [line]
            listed = []
            for follow in lines[index + 1:]:
                if follow.startswith('- '):
                    listed.append(follow[2:].strip())
                elif not listed:
                    words.append(follow)
                else:
                    break
            if listed:
                words.append(', '.join(listed))
            # Usage lines after the error are the help's, not the error's.
            return ' '.join(word for word in words if not word.lower().startswith('usage:'))
    return lines[-1] if lines else ''


def known_faults(list_stdout):
    """The fault numbers of `ampfix list --json`, or None when it printed no such list."""
    try:
        entries = json.loads(list_stdout)
    except ValueError:
        return None
    if not isinstance(entries, list):
        return None
    ids = [entry.get('id') for entry in entries if isinstance(entry, dict)]
    return sorted(i for i in ids if isinstance(i, int)) or None


def unknown_faults(faults, known):
    """The faults named that the installed ampfix does not know, as a message, or None."""
    names = [str(fault).strip() for fault in faults or []]
    wrong = [name for name in names if name != 'all' and (not name.isdigit() or int(name) not in known)]
    if not wrong:
        return None
    return "faults: %s %s not a fault this ampfix knows (%s)" % (', '.join(wrong), 'is' if len(wrong) == 1 else 'are',
                                                                 ', '.join(str(k) for k in known))


# The failure's message names what failed; the whole report stays in the result. A reason is cut
# at this many characters in msg (an action's reason can quote a tool's output at length).
REASON_LIMIT = 200


def shortened(text, limit=REASON_LIMIT):
    text = ' '.join(str(text or '').split())
    return text if len(text) <= limit else text[:limit - 1] + '…'


def interpret(report, exit_status, stderr, check_mode=False, fail_on_unknown=True, want_diff=False):
    """The module's result for one ampfix run: changed only when an action was applied (in check
    mode: when actions are planned); present faults are a result, not a failure; a usage error,
    a runtime error, and (unless fail_on_unknown is false) a fault ampfix could not evaluate fail."""
    result = {'changed': False, 'exit_status': exit_status, 'present': [], 'unknown': [], 'accepted': [], 'report': report or {}}
    if report is None:
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix exited with status %d and printed no report' % exit_status
        return result
    faults = report.get('faults', [])
    result['present'] = [fault['id'] for fault in faults if fault.get('status') == 'present']
    result['unknown'] = [fault['id'] for fault in faults if fault.get('status') == 'unknown']
    result['accepted'] = [fault['id'] for fault in faults if fault.get('status') == 'accepted']
    outcomes = [action.get('outcome') for action in actions(report)]
    result['changed'] = ('planned' in outcomes) if check_mode else ('applied' in outcomes)
    if want_diff:
        shown = diff(report, check_mode)
        if shown:
            result['diff'] = shown
    if exit_status == USAGE:
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix: usage error'
    elif exit_status == COULD_NOT_EVALUATE and fail_on_unknown:
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix could not evaluate faults %s' % ', '.join(str(f) for f in result['unknown'])
    elif exit_status not in (HEALTHY, FAULTS_REMAIN, COULD_NOT_EVALUATE):
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix exited with status %d' % exit_status
    if 'failed' in outcomes and not result.get('failed'):
        failed = [a for a in actions(report) if a.get('outcome') == 'failed']
        result['failed'] = True
        result['failed_actions'] = [dict((key, a.get(key)) for key in ('fault', 'summary', 'reason')) for a in failed]
        result['msg'] = 'ampfix could not apply %d action%s: %s' % (
            len(failed), '' if len(failed) == 1 else 's',
            '; '.join('%s (%s)' % (shortened(a.get('summary'), 120), shortened(a.get('reason', ''))) for a in failed[:3])
            + ('; and %d more (failed_actions)' % (len(failed) - 3) if len(failed) > 3 else ''))
    return result


def interpret_preflight(report, exit_status, stderr, fail_on_unknown=True):
    """The module's result for `ampfix preflight`: never changed; the predictions, which
    checks are predicted, which of those block monitoring, and the faults a repair prevents
    (state: repaired with faults: RV(fixable)). A prediction is a result, not a failure; a usage
    or runtime error, and (unless fail_on_unknown is false) a check that could not be predicted,
    fail."""
    result = {'changed': False, 'exit_status': exit_status, 'blocking': False, 'predicted': [], 'blocking_predicted': [],
              'unknown': [], 'fixable': [], 'predictions': [], 'report': report or {}}
    if report is None:
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix preflight exited with status %d and printed no report' % exit_status
        return result
    predictions = [prediction for prediction in report.get('predictions', []) if isinstance(prediction, dict)]
    predicted = [p for p in predictions if p.get('outcome') == 'predicted']
    result['predictions'] = [dict((key, p.get(key)) for key in ('check', 'fault', 'outcome', 'blocks', 'fixable', 'title', 'evidence', 'prevention'))
                             for p in predictions]
    result['predicted'] = [str(p.get('check')) for p in predicted]
    result['blocking_predicted'] = [str(p.get('check')) for p in predicted if p.get('blocks')]
    result['blocking'] = bool(report.get('blocking', bool(result['blocking_predicted'])))
    result['unknown'] = [str(p.get('check')) for p in predictions if p.get('outcome') == 'unknown']
    result['fixable'] = sorted(set(p['fault'] for p in predicted if p.get('fixable') and isinstance(p.get('fault'), int)))
    if exit_status == USAGE:
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix preflight: usage error'
    elif exit_status == COULD_NOT_EVALUATE and fail_on_unknown:
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix could not predict %s' % ', '.join(result['unknown'])
    elif exit_status not in (HEALTHY, FAULTS_REMAIN, COULD_NOT_EVALUATE):
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix preflight exited with status %d' % exit_status
    return result


def interpret_undo(report, exit_status, stderr, check_mode=False, want_diff=False, run_id=None):
    """The module's result for `ampfix undo --json` (schema ampfix.undo/1): changed when a change
    was reverted (in check mode: when one would be); nothing to undo is not a failure, nor is a
    run_id that is undone already (a second run of the same task: changed=false); a change left
    (modified since the run, or its revert failed) fails, naming at most three."""
    result = {'changed': False, 'exit_status': exit_status, 'run': None, 'items': [], 'report': report or {}}
    if report is None and run_id and 'run %s was already undone' % run_id in (stderr or ''):
        result.update(exit_status=HEALTHY, run=run_id, msg='run %s was already undone' % run_id)
        return result
    if report is None:
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix undo exited with status %d and printed no report' % exit_status
        return result
    items = [item for item in report.get('items', []) if isinstance(item, dict)]
    result['run'] = report.get('run')
    result['items'] = items
    done = [item for item in items if item.get('outcome') == ('planned' if check_mode else 'reverted')]
    result['changed'] = bool(done)
    if want_diff and done:
        result['diff'] = {'before': ''.join('%s: %s\n' % (item.get('target'), item.get('before')) for item in done),
                          'after': ''.join('%s: %s\n' % (item.get('target'), item.get('after')) for item in done),
                          'before_header': 'ampfix undo %s (before)' % result['run'], 'after_header': 'ampfix undo %s (after)' % result['run']}
    if result['run'] is None:
        result['msg'] = 'nothing to undo: no run in the journal has changes that are not undone'
    left = [item for item in items if item.get('outcome') in ('skipped', 'failed', 'would-fail')]
    if exit_status not in (HEALTHY, FAULTS_REMAIN):
        result['failed'] = True
        result['msg'] = error_message(stderr) or 'ampfix undo exited with status %d' % exit_status
    elif exit_status == FAULTS_REMAIN and not left:
        # Nothing left, and yet incomplete: a dry run that cannot be exact (an interrupted run the
        # undo would recover first); ampfix says why.
        result['failed'] = True
        notes = '; '.join(str(note) for note in report.get('recovered', []))
        result['msg'] = 'ampfix undo: %s' % (notes or 'the plan is incomplete')
    elif left or exit_status == FAULTS_REMAIN:
        result['failed'] = True
        result['left'] = [dict((key, item.get(key)) for key in ('fault', 'target', 'summary', 'outcome', 'reason')) for item in left]
        result['msg'] = 'ampfix undo of run %s %s %d change%s: %s' % (
            result['run'], 'would leave' if check_mode else 'left', len(left), '' if len(left) == 1 else 's',
            '; '.join('%s (%s)' % (shortened(item.get('summary'), 120), shortened(item.get('reason', ''))) for item in left[:3])
            + ('; and %d more (left)' % (len(left) - 3) if len(left) > 3 else ''))
    return result


# The result when ampfix is not there: the keys every result has (exit_status: 127, as a shell
# says of a command it cannot find), and what to install.
NOT_INSTALLED = 127


def missing_binary(binary):
    """The failed result for a host without ampfix at `binary`, or None when it is there."""
    if os.path.isfile(binary) and os.access(binary, os.X_OK):
        return None
    return {'failed': True, 'changed': False, 'exit_status': NOT_INSTALLED, 'present': [], 'unknown': [], 'report': {},
            'msg': "ampfix is not installed on this host (no executable %s): install it with the role "
                   "ampfix.ampfix.ampfix (ampfix_install: true) or the ampfix package, or give the module's binary option" % binary}


def check_faults(module, binary, faults):
    """Fails the task when `faults` names one the installed ampfix does not know (from `ampfix
    list --json`), before anything runs."""
    status, stdout, stderr = module.run_command([binary, 'list', '--json'], environ_update={'LC_ALL': 'C.UTF-8'})
    known = known_faults(stdout) if status == 0 else None
    if known is None:
        return
    wrong = unknown_faults(faults, known)
    if wrong:
        module.fail_json(msg=wrong, changed=False, exit_status=USAGE, present=[], unknown=[], report={}, known_faults=known)


def run(module, argv, preflight=False, faults=None, undo=False, **options):
    """Runs ampfix for a module (LC_ALL=C.UTF-8: stable messages) and exits with the result of
    `interpret(..., **options)` (`interpret_preflight` for a preflight); the command line is in
    the result. A host without ampfix, or a fault it does not know, fails first with what to do."""
    missing = missing_binary(argv[0])
    if missing:
        missing['command'] = argv
        module.fail_json(**missing)
    if faults:
        check_faults(module, argv[0], faults)
    status, stdout, stderr = module.run_command(argv, environ_update={'LC_ALL': 'C.UTF-8'})
    if undo:
        result = interpret_undo(parse_report(stdout, 'ampfix.undo/'), status, stderr, **options)
    elif preflight:
        result = interpret_preflight(parse_report(stdout, 'ampfix.preflight/'), status, stderr, fail_on_unknown=options.get('fail_on_unknown', True))
    else:
        result = interpret(parse_report(stdout), status, stderr, **options)
    result['command'] = argv
    if result.get('failed'):
        module.fail_json(**result)
    module.exit_json(**result)
