"""The fixed choices of the request form, with their translatable labels (issue 4)."""

from flask_babel import lazy_gettext as _l

from eap.i18n import CONVERSATION_LANGUAGES

REQUESTER_TYPES = {
    "employee": _l("I work for the employer (employee)"),
    "partner": _l("I am the partner of an employee"),
    "child": _l("I am the child of an employee"),
    "relative": _l("I am another relative of an employee"),
}
DEPENDANT_TYPES = ("partner", "child", "relative")

AREAS = {
    "medical": _l("Medical"),
    "psychological": _l("Psychological"),
    "social": _l("Social"),
}
TOPICS = {
    "stress": _l("Stress and burnout"),
    "anxiety": _l("Anxiety and low mood"),
    "addiction": _l("Addiction"),
    "family": _l("Partnership and family"),
    "parenting": _l("Parenting"),
    "caring": _l("Caring for a relative"),
    "debt": _l("Debt and money"),
    "legal": _l("Legal and social-law questions"),
    "migration": _l("Migration and residence"),
    "illness": _l("Illness and rehabilitation"),
    "work_conflict": _l("Conflict at work"),
    "grief": _l("Grief"),
    "other": _l("Other"),
}
FOR_WHOM = {
    "self": _l("For me"),
    "partner": _l("For my partner"),
    "child": _l("For my child"),
    "relative": _l("For another relative"),
}
URGENCIES = {"normal": _l("Normal"), "soon": _l("Soon, it is urgent")}
CONTACTS = {
    "messages": _l("Secure messages in this portal"),
    "phone": _l("Phone callback"),
    "video": _l("Video call"),
    "in_person": _l("In person"),
    # Not offered on the request form: a case made from a live chat (eap.chat.desk.to_case).
    "chat": _l("Live chat"),
}
FORM_CONTACTS = {key: label for key, label in CONTACTS.items() if key != "chat"}
LANGUAGES = CONVERSATION_LANGUAGES  # the languages of the conversation (eap.i18n)
STATUSES = {
    "new": _l("Received"),
    "triaged": _l("Being looked at"),
    "in_progress": _l("In progress"),
    "waiting": _l("Waiting for your answer"),
    "closed": _l("Closed"),
}
OPEN_STATUSES = ("new", "triaged", "in_progress", "waiting")

# Lower is more urgent: the staff inbox sorts by priority, then by deadline.
PRIORITY_TOP = 1  # acute danger
PRIORITY_HIGH = 2  # "soon"
PRIORITY_NORMAL = 3
