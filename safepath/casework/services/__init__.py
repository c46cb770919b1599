"""Writes for casework: contacts, notes, safety plans, tasks, consent and sharing records.

Every function locks the case row, validates, writes and audits in one transaction, and
refuses in plain words (a ValidationError keyed by the form field it is about).

Forms that create something carry a one-time token (people.forms.TokenForm), the mechanism
the person record uses: the token is written into the audit row of the change (an
identifier, never personal data) and looked up, under the lock on the case, before writing,
so a form submitted twice creates nothing twice.
"""

from safepath.casework.services.common import refresh_next_action
from safepath.casework.services.contacts import ContactInput, contact_record, contact_refusal, note_add
from safepath.casework.services.plans import ActionInput, PlanChanged, safety_plan_revise, task_add, task_done
from safepath.casework.services.sharing import (
    ConsentInput,
    SharingInput,
    consent_record,
    consent_withdraw,
    sharing_decide,
    sharing_record,
)

__all__ = [
    "ActionInput",
    "ConsentInput",
    "ContactInput",
    "PlanChanged",
    "SharingInput",
    "consent_record",
    "consent_withdraw",
    "contact_record",
    "contact_refusal",
    "note_add",
    "refresh_next_action",
    "safety_plan_revise",
    "sharing_decide",
    "sharing_record",
    "task_add",
    "task_done",
]
