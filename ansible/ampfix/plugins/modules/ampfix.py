#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ampfix maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ampfix
short_description: Diagnose and repair Cisco Secure Endpoint connector faults with ampfix
description:
  - Runs C(ampfix --json) on the host, diagnosing the connector's faults or repairing those listed.
  - With O(state=preflight) it runs C(ampfix preflight --json) instead, before the connector is installed (or
    with O(extra_args=[--kernel, RELEASE]) before a kernel is booted), and returns which faults the connector
    would raise (RV(predicted)), whether one of them keeps it from monitoring (RV(blocking)), and those a
    repair prevents (RV(fixable)). It changes nothing on the host but ampfix's own record of the predictions.
  - With O(state=undone) it runs C(ampfix undo --json), which reverts the newest run not yet undone (or O(run_id)),
    newest change first; a change modified since the run is left as it is and fails the task (RV(left)).
    Nothing to undo is not a failure (C(changed=false)).
  - C(changed) is true only when ampfix applied an action; a second run after a repair reports C(changed=false).
  - Faults still present are a result (RV(present)), not a failure. The task fails on a usage error
    (exit 64), when an action failed, and when a fault could not be evaluated (exit 2) unless
    O(fail_on_unknown=false).
version_added: "0.1.0"
author:
  - ampfix maintainers (@ampfix)
options:
  faults:
    description:
      - The faults to repair (with O(state=repaired)), by number, or C([all]) for every fault found.
      - Ignored by a diagnosis, which looks at every fault.
    type: list
    elements: str
    default: [all]
  state:
    description:
      - C(diagnosed) only looks; C(repaired) repairs the listed faults; C(preflight) predicts the faults the
        connector would raise (a prediction is a result, not a failure); C(undone) reverts an ampfix run's changes
        (O(faults) is ignored).
    type: str
    choices: [diagnosed, repaired, preflight, undone]
    default: diagnosed
  run_id:
    description:
      - With O(state=undone), the run to revert (C(ampfix undo --list) on the host, the C(AMPFIX_RUN_ID) of its journal
        entries, or RV(run) of an earlier undo); default the newest run with changes not yet undone.
      - A run that is undone already is not a failure (C(changed=false)), so that the task can run again.
    type: str
  root:
    description:
      - Work on the tree under this path (an image, a chroot) instead of C(/).
    type: path
    default: /
  binary:
    description:
      - The ampfix program.
    type: path
    default: /usr/sbin/ampfix
  extra_args:
    description:
      - More ampfix options (for example C([--no-restart])), only those that point ampfix at its inputs, tune how
        long it waits or how much it reads and says, or make a repair do less; none selects the command, the mode,
        the faults or the root.
      - "Accepted: C(--ampcli), C(--definitions), C(--kernel), C(--kernel-support), C(--module-source),
        C(--policy-module), C(--lang), C(--lock-timeout), C(--status-timeout), C(--verbose) (C(-v)), C(--no-journal),
        C(--no-restart), C(--bpf-objects), and C(--wait) with O(state=repaired) (left out in check mode: a dry run
        repairs nothing). With O(state=preflight) C(--no-restart) and C(--wait) are left out (a preflight repairs
        nothing) and C(--module-source) only says which module builds a repair would make."
      - An option's value is the next argument, or follows C(=) (C(--ampcli=PATH)), which a value that starts with C(-)
        needs, as with ampfix itself (but for C(--lock-timeout), C(--status-timeout) and C(--wait)); a value is never
        checked as an option.
      - Anything else fails the task, naming the argument, before ampfix runs, in particular C(--fault) and C(--all)
        (use O(faults) with O(state=repaired)), C(--dry-run) (use check mode), C(--root) (use O(root)), C(--json),
        C(--quiet), C(--prometheus), C(--help), C(--version), C(--), and a subcommand (C(undo), C(collect)...) or any
        other word that is not an option.
      - With O(state=undone) only C(--lock-timeout), C(--lang), C(--verbose) and C(--no-journal) (what C(ampfix undo) takes).
    type: list
    elements: str
    default: []
  fail_on_unknown:
    description:
      - Whether a fault ampfix could not evaluate (exit status 2) fails the task; with O(state=preflight), whether
        a check it could not predict (with nothing predicted) does.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description:
      - A repair runs as C(ampfix --dry-run); C(changed) is true exactly when actions are planned.
      - A diagnosis changes nothing and runs as it is; C(changed) is false.
      - A preflight changes nothing; in check mode it does not keep its predictions either (C(--no-record)).
      - An undo runs as C(ampfix undo --dry-run), each revert's state checked; C(changed) is true exactly when a change
        would be reverted, and the task fails where one would be left.
  diff_mode:
    support: full
    description: The planned (check mode) or applied actions, as before and after text; for an undo, each revert.
requirements:
  - ampfix on the managed host (the role C(ampfix.ampfix.ampfix) installs it, from a package file or the repositories).
  - "Root on the managed host (C(become: true)): ampfix reads /etc/shadow and the connector's tree, and repairs as root."
notes:
  - ampfix must be installed on the host (the role C(ampfix.ampfix.ampfix) installs it); without it the task fails saying so,
    with RV(exit_status=127).
seealso:
  - module: ampfix.ampfix.ampfix_info
'''

EXAMPLES = r'''
- name: Repair the scan account and the SELinux module where they are broken
  ampfix.ampfix.ampfix:
    faults: [5, 19]
    state: repaired
  become: true
  register: repair

- name: Every fault ampfix can repair, without restarting the connector
  ampfix.ampfix.ampfix:
    faults: [all]
    state: repaired
    extra_args: [--no-restart]
  become: true

- name: Look only
  ampfix.ampfix.ampfix:
    state: diagnosed
  become: true

- name: Before the connector is installed, stop where it could not monitor
  ampfix.ampfix.ampfix:
    state: preflight
  become: true
  register: preflight
  failed_when: preflight.blocking

- name: Revert the last ampfix run (check mode and --diff show what would be reverted)
  ampfix.ampfix.ampfix:
    state: undone
  become: true

- name: Revert one run by its id
  ampfix.ampfix.ampfix:
    state: undone
    run_id: 20261205T134426336Z-19279
  become: true

- name: Before rebooting into a new kernel
  ampfix.ampfix.ampfix:
    state: preflight
    extra_args: [--kernel, 6.1.0-28-amd64]
  become: true
  register: next_kernel
'''

RETURN = r'''
report:
  description: ampfix's JSON report (schema ampfix.report/3; a /1 or /2 report has the same fields less the newer messages;
    with O(state=preflight) ampfix.preflight/1; with O(state=undone) ampfix.undo/1). Empty when ampfix printed none (a usage error, ampfix missing).
  returned: always
  type: dict
  contains:
    schema:
      description: The report's schema and version; read it by its prefix C(ampfix.report/).
      type: str
      sample: ampfix.report/3
    faults:
      description: One entry per fault (id, title, status, evidence, actions, manualSteps, and their messages).
      type: list
      elements: dict
      sample: [{id: 5, title: Scan service user unavailable, status: present, evidence: [group cisco-amp-scan-svc missing from /etc/group]}]
    exitCode:
      description: ampfix's exit status, as in RV(exit_status).
      type: int
      sample: 1
present:
  description: The faults still present after the run.
  returned: with O(state=diagnosed) or O(state=repaired)
  type: list
  elements: int
  sample: [11, 19]
unknown:
  description: The faults ampfix could not evaluate (with O(state=preflight), the checks it could not predict, as text).
  returned: unless O(state=undone)
  type: list
  elements: int
accepted:
  description: The faults present and accepted in /etc/ampfix/accepted.d (reported as accepted until the entry runs out).
  returned: with O(state=diagnosed) or O(state=repaired)
  type: list
  elements: int
exit_status:
  description: ampfix's exit status (0 healthy, 1 a fault remains, 2 could not evaluate, 64 usage error; 127 ampfix is not installed).
  returned: always
  type: int
  sample: 1
command:
  description: The ampfix command line that was run.
  returned: always
  type: list
  elements: str
  sample: [/usr/sbin/ampfix, --fault, '19', --json]
failed_actions:
  description: The actions that failed (fault, summary, reason); the task's msg names the first three.
  returned: when an action failed
  type: list
  elements: dict
known_faults:
  description: The faults the installed ampfix knows, when O(faults) named another.
  returned: when O(faults) names a fault ampfix does not know
  type: list
  elements: int
blocking:
  description: Whether a prediction keeps the connector from monitoring (faults 8, 9, 11, 16, 19).
  returned: with O(state=preflight)
  type: bool
predicted:
  description: The checks predicted (fault numbers as text, or C(disk-space), C(memory), C(fanotify), C(policycoreutils)).
  returned: with O(state=preflight)
  type: list
  elements: str
blocking_predicted:
  description: The predicted checks that block monitoring.
  returned: with O(state=preflight)
  type: list
  elements: str
fixable:
  description: The predicted faults a repair prevents (give them to O(faults) with O(state=repaired)).
  returned: with O(state=preflight)
  type: list
  elements: int
run:
  description: The run reverted (or, in check mode, that would be); null when there was nothing to undo.
  returned: with O(state=undone)
  type: str
  sample: 20261205T134426336Z-19279
items:
  description: Each change of the run, newest first (fault, kind, target, before, after, summary, outcome, reason); before is
    what is there now, after what the undo puts back; outcome C(reverted), C(planned) (check mode), C(already-reverted),
    C(not-reversible), C(skipped) (modified since), C(failed), C(would-fail).
  returned: with O(state=undone)
  type: list
  elements: dict
  sample: [{fault: 5, target: /opt/cisco/amp, before: "mode 0755 owner 0:0", after: "mode 0700 owner 0:0", outcome: reverted}]
left:
  description: The changes the undo left (or would leave) in place, as in RV(items); the task's msg names the first three.
  returned: when the undo left a change
  type: list
  elements: dict
predictions:
  description: Each check's prediction (check, fault, outcome, blocks, fixable, title, evidence, prevention).
  returned: with O(state=preflight)
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ampfix.ampfix.plugins.module_utils.ampfix import USAGE, build_argv, run


def main():
    module = AnsibleModule(
        argument_spec=dict(
            faults=dict(type='list', elements='str', default=['all']),
            state=dict(type='str', choices=['diagnosed', 'repaired', 'preflight', 'undone'], default='diagnosed'),
            run_id=dict(type='str'),
            root=dict(type='path', default='/'),
            binary=dict(type='path', default='/usr/sbin/ampfix'),
            extra_args=dict(type='list', elements='str', default=[]),
            fail_on_unknown=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        argv = build_argv(params['binary'], params['root'], params['state'], params['faults'], module.check_mode, params['extra_args'],
                          run_id=params['run_id'])
    except ValueError as error:
        module.fail_json(msg=str(error), changed=False, exit_status=USAGE, present=[], unknown=[], report={})
    if params['state'] == 'undone':
        run(module, argv, undo=True, check_mode=module.check_mode, want_diff=module._diff, run_id=params['run_id'])
    elif params['state'] == 'preflight':
        run(module, argv, preflight=True, fail_on_unknown=params['fail_on_unknown'])
    else:
        faults = params['faults'] if params['state'] == 'repaired' else None
        run(module, argv, faults=faults, check_mode=module.check_mode, fail_on_unknown=params['fail_on_unknown'], want_diff=module._diff)


if __name__ == '__main__':
    main()
