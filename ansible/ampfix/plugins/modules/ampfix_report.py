#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ampfix maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The documentation of the action plugin plugins/action/ampfix_report.py (it runs on the controller).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ampfix_report
short_description: One report of the whole fleet's ampfix results, written on the controller
description:
  - Gathers every host's registered ampfix diagnosis (the role's C(ampfix_diagnosis), from M(ampfix.ampfix.ampfix_info))
    and writes, on the controller, in a new directory per run under O(dest) (named by the controller's UTC time;
    C(latest) points at the newest), one table of hosts by faults as C(report.csv), C(report.md) and a self-contained
    C(report.html), plus C(report.json), the host entries it was made from.
  - Each cell is the fault's status (C(present), C(present (raised)) where the connector raises it, C(unknown),
    C(accepted), C(ok), C(not-applicable)); an unknown or present cell opens to its evidence in the page, and the
    Markdown lists why each unknown is unknown.
  - Hosts that failed (the role records the task and its message) or gave no result (unreachable) are rows too.
  - "Findings group the hosts by the evidence's message id and arguments (C(ampfix.report/2) and later), so that
    C(fault 11 present: 214 hosts: no headers for 6.1.0-28-amd64 ...) is one line; for a repairable one, a playbook
    under C(playbooks/) repairs that fault on exactly those hosts."
  - Runs once, on the controller, changes no host; C(changed) is always false.
version_added: "0.2.0"
author:
  - ampfix maintainers (@ampfix)
options:
  dest:
    description:
      - The directory that holds one directory per report run.
    type: path
    required: true
  hosts:
    description:
      - The hosts in the report; default the play's hosts, also those that failed or were unreachable
        (C(ansible_play_hosts_all)).
    type: list
    elements: str
  result_var:
    description:
      - The variable each host registered its M(ampfix.ampfix.ampfix_info) (or M(ampfix.ampfix.ampfix)) result in.
    type: str
    default: ampfix_diagnosis
  failure_var:
    description:
      - The variable the role sets on a host where one of its tasks failed (C(task), C(msg)).
    type: str
    default: ampfix_failure
attributes:
  check_mode:
    support: full
    description: It writes on the controller only, in check mode too (the report of a check-mode run is the plan's).
requirements:
  - The hosts' results from the same playbook run (registered variables live as long as it).
seealso:
  - module: ampfix.ampfix.ampfix_info
  - module: ampfix.ampfix.ampfix
'''

EXAMPLES = r'''
- name: Diagnose every connector host
  hosts: connectors
  become: true
  roles:
    - ampfix.ampfix.ampfix

- name: One report of all of them
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Write it
      ampfix.ampfix.ampfix_report:
        dest: "{{ playbook_dir }}/ampfix-reports"
        hosts: "{{ groups['connectors'] }}"
'''

RETURN = r'''
path:
  description: The run's directory.
  returned: always
  type: str
  sample: /home/ops/ampfix-reports/20261205T140000Z
files:
  description: The report's files (the playbooks are in the run's C(playbooks/)).
  returned: always
  type: list
  elements: str
hosts:
  description: The number of hosts in the report.
  returned: always
  type: int
  sample: 2000
states:
  description: Hosts per state (diagnosed, failed, no-result).
  returned: always
  type: dict
  sample: {diagnosed: 1996, failed: 3, no-result: 1}
faults:
  description: Per fault, hosts per status (and C(raised), present and raised by the connector).
  returned: always
  type: dict
  sample: {"11": {present: 214, raised: 0, unknown: 0, accepted: 2, ok: 1780, not-applicable: 0}}
findings:
  description: The number of distinct findings (fault, status, message).
  returned: always
  type: int
'''
