#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ampfix maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ampfix_info
short_description: The Cisco Secure Endpoint connector's faults on a host, as ampfix diagnoses them
description:
  - Runs C(ampfix --json), a diagnosis that changes nothing, and returns its report.
version_added: "0.1.0"
author:
  - ampfix maintainers (@ampfix)
options:
  root:
    description:
      - Diagnose the tree under this path (an image, a chroot) instead of C(/).
    type: path
    default: /
  binary:
    description:
      - The ampfix program.
    type: path
    default: /usr/sbin/ampfix
  extra_args:
    description:
      - More ampfix options, as for M(ampfix.ampfix.ampfix) (C(--ampcli), C(--kernel-support), C(--definitions), C(--kernel),
        C(--lock-timeout), ...), so that this diagnosis agrees with the module's on the same host.
      - Options that only change a repair (C(--no-restart), C(--wait)) are left out; those that choose the command,
        the mode, the faults or the root are refused.
    type: list
    elements: str
    default: []
  metrics:
    description:
      - Also write the diagnosis's metrics to this file on the host (C(--prometheus); node_exporter's textfile
        directory, a name ending in C(.prom)), replaced atomically, so that they show the state after a repair at once
        instead of at the audit timer's next run. Not in check mode.
      - The metrics describe O(root), as the diagnosis does.
    type: path
attributes:
  check_mode:
    support: full
    description: A diagnosis changes nothing; it runs the same in check mode, where O(metrics) is not written.
requirements:
  - ampfix on the managed host (the role C(ampfix.ampfix.ampfix) installs it).
  - "Root on the managed host (C(become: true)): ampfix reads /etc/shadow and the connector's tree."
seealso:
  - module: ampfix.ampfix.ampfix
'''

EXAMPLES = r'''
- name: Which faults are present
  ampfix.ampfix.ampfix_info:
  become: true
  register: diagnosis

- name: Diagnose with the same inputs as the repair
  ampfix.ampfix.ampfix_info:
    extra_args: [--kernel-support, /srv/ampfix/kernel-support.tsv, --ampcli, /opt/cisco/amp/bin/ampcli]
  become: true
  register: diagnosis

- name: Diagnose and refresh node_exporter's metrics of ampfix
  ampfix.ampfix.ampfix_info:
    metrics: /var/lib/prometheus/node-exporter/ampfix.prom
  become: true

- name: Hosts that still have fault 8
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} has fault 8"
  when: 8 in diagnosis.present
'''

RETURN = r'''
report:
  description: ampfix's JSON report (schema ampfix.report/3; a /1 or /2 report has the same fields less the newer messages).
  returned: always
  type: dict
present:
  description: The faults present.
  returned: always
  type: list
  elements: int
  sample: [8, 11]
command:
  description: The ampfix command line that was run.
  returned: always
  type: list
  elements: str
  sample: [/usr/sbin/ampfix, --json]
unknown:
  description: The faults ampfix could not evaluate.
  returned: always
  type: list
  elements: int
accepted:
  description: The faults present and accepted in /etc/ampfix/accepted.d (reported as accepted until the entry runs out).
  returned: always
  type: list
  elements: int
exit_status:
  description: ampfix's exit status (0 healthy, 1 a fault is present, 2 could not evaluate).
  returned: always
  type: int
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ampfix.ampfix.plugins.module_utils.ampfix import USAGE, build_argv, run


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type='path', default='/'),
            binary=dict(type='path', default='/usr/sbin/ampfix'),
            extra_args=dict(type='list', elements='str', default=[]),
            metrics=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    try:
        argv = build_argv(module.params['binary'], module.params['root'], 'diagnosed', extra_args=module.params['extra_args'], drop_repair_only=True)
    except ValueError as error:
        module.fail_json(msg=str(error), changed=False, exit_status=USAGE, present=[], unknown=[], report={})
    # The metrics file is the diagnosis's output, like its report: changed stays false.
    if module.params['metrics'] and not module.check_mode:
        argv += ['--prometheus', module.params['metrics']]
    # A diagnosis applies nothing: interpret's changed is false.
    run(module, argv, fail_on_unknown=False)


if __name__ == '__main__':
    main()
