# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

from ansible_collections.ampfix.ampfix.plugins.action.ampfix_report import NO_RESULT, host_entry

REPORT = {'schema': 'ampfix.report/3', 'faults': [{'id': 5, 'status': 'ok'}]}


def entry(variables):
    return host_entry('h', variables, 'ampfix_diagnosis', 'ampfix_failure')


def test_a_diagnosed_host():
    assert entry({'ampfix_diagnosis': {'report': REPORT, 'changed': False}}) == {'host': 'h', 'state': 'diagnosed', 'message': '', 'report': REPORT}


def test_the_roles_recorded_failure_wins_and_keeps_the_report():
    got = entry({'ampfix_diagnosis': {'report': REPORT}, 'ampfix_failure': {'task': 'Repair the listed faults', 'msg': 'ampfix could not apply'}})
    assert got['state'] == 'failed' and got['message'] == 'Repair the listed faults: ampfix could not apply' and got['report'] == REPORT


def test_a_failed_or_unreachable_diagnosis():
    assert entry({'ampfix_diagnosis': {'failed': True, 'msg': 'ampfix: error: x', 'report': {}}})['message'] == 'the diagnosis: ampfix: error: x'
    got = entry({'ampfix_diagnosis': {'unreachable': True, 'msg': 'chroot path does not exist'}})
    assert got['state'] == 'no-result' and 'chroot path does not exist' in got['message']


def test_no_result_at_all():
    assert entry({}) == {'host': 'h', 'state': 'no-result', 'message': NO_RESULT, 'report': {}}
    assert entry({'ampfix_failure': {}})['state'] == 'no-result'
