# -*- coding: utf-8 -*-
# Copyright: ampfix maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ampfix.ampfix.ampfix_report: the fleet report, written on the controller from every host's
registered ampfix results (hostvars); the documentation is plugins/modules/ampfix_report.py."""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.ampfix.ampfix.plugins.plugin_utils.fleet_report import write

ARGUMENT_SPEC = dict(
    dest=dict(type='path', required=True),
    hosts=dict(type='list', elements='str'),
    result_var=dict(type='str', default='ampfix_diagnosis'),
    failure_var=dict(type='str', default='ampfix_failure'),
)
NO_RESULT = 'no ampfix result: the host was unreachable, or the play did not reach ampfix there'


def plain(value):
    """A registered result as plain data (hostvars hold Ansible's own str and dict types)."""
    if isinstance(value, dict):
        return dict((str(key), plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def host_entry(name, variables, result_var, failure_var):
    """One host's row: diagnosed (its report), failed (what failed, and the report when the
    diagnosis ran), or no-result."""
    result = plain(variables.get(result_var))
    failure = plain(variables.get(failure_var))
    report = result.get('report') if isinstance(result, dict) and isinstance(result.get('report'), dict) else {}
    entry = {'host': name, 'state': 'diagnosed', 'message': '', 'report': report}
    if isinstance(failure, dict) and failure:
        entry['state'] = 'failed'
        entry['message'] = '%s: %s' % (failure.get('task') or 'a task', failure.get('msg') or 'failed')
    elif isinstance(result, dict) and result.get('unreachable'):
        entry['state'] = 'no-result'
        entry['message'] = 'unreachable: %s' % (result.get('msg') or '')
    elif isinstance(result, dict) and result.get('failed'):
        entry['state'] = 'failed'
        entry['message'] = 'the diagnosis: %s' % (result.get('msg') or 'failed')
    elif not report or not report.get('faults'):
        entry['state'] = 'no-result'
        entry['message'] = NO_RESULT if not isinstance(result, dict) or result.get('skipped') is None else 'the diagnosis was skipped'
    return entry


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        validation = ArgumentSpecValidator(ARGUMENT_SPEC).validate(self._task.args)
        if validation.error_messages:
            raise AnsibleActionFail('ampfix_report: %s' % '; '.join(validation.error_messages))
        args = validation.validated_parameters
        hosts = args['hosts'] if args['hosts'] is not None else task_vars.get('ansible_play_hosts_all', [])
        hostvars = task_vars.get('hostvars', {})
        entries = []
        for name in hosts:
            variables = hostvars[name] if name in hostvars else {}
            entries.append(host_entry(str(name), variables, args['result_var'], args['failure_var']))
        directory = os.path.expanduser(args['dest'])
        try:
            os.makedirs(directory, exist_ok=True)
            target, summary = write(entries, directory)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # One task's failure with the reason, never a traceback (the hosts' results are
            # normalized before they are rendered; what is left is the file system's).
            raise AnsibleActionFail('ampfix_report: cannot write the report in %s: %s' % (directory, error))
        if summary['notes']:
            result['warnings'] = summary['notes']
        result.update(
            changed=False,
            path=target,
            files=sorted(os.path.join(target, name) for name in ('report.json', 'report.csv', 'report.md', 'report.html')),
            hosts=summary['hosts'],
            states=summary['states'],
            faults=dict((number, dict((k, v) for k, v in counts.items() if k != 'title')) for number, counts in summary['faults'].items()),
            findings=len(summary['findings']),
            msg='ampfix fleet report of %d hosts: %s' % (summary['hosts'], os.path.join(target, 'report.html')),
        )
        return result
