"""Imports every feature's models, so the metadata (and Alembic) knows all tables."""

from eap.billing.confirmation_models import OrderConfirmation  # noqa: F401
from eap.billing.einvoice.models import EInvoiceSource  # noqa: F401
from eap.billing.models import Contract, Invoice, StripeEvent  # noqa: F401
from eap.chat.models import Chat, ChatMessage, ChatPresence  # noqa: F401
from eap.counselling.appointment_models import (  # noqa: F401
    Appointment,
    AvailabilityException,
    AvailabilityRule,
    CaseSession,
)
from eap.counselling.calendar_models import BusyInterval, StaffCalendar  # noqa: F401
from eap.counselling.clocks import CaseClock  # noqa: F401  (and its status listener)
from eap.counselling.follow_up import ReferralFollowUp  # noqa: F401
from eap.counselling.models import (  # noqa: F401
    CaseNote,
    CaseReferral,
    CaseWork,
    ReferralService,
)
from eap.employers.models import (  # noqa: F401
    AccessCode,  # noqa: F401
    HrUser,
    Organisation,
)
from eap.employers.offer_models import OfferRequest  # noqa: F401
from eap.employers.terms_models import TermsAcceptance  # noqa: F401
from eap.oncall.models import OnCallNotice, OnCallWindow  # noqa: F401
from eap.packages.models import ServicePackage  # noqa: F401
from eap.reports.models import ReportRelease  # noqa: F401
from eap.requests.models import (  # noqa: F401
    CaseEvent,
    HelpRequest,
    Message,
    RequesterAccount,
    ServiceCounter,
    UsageCounter,
)
from eap.schedules import JobRun  # noqa: F401
from eap.security.audit import AuditEntry  # noqa: F401
from eap.security.sessions import LoginSession  # noqa: F401
from eap.staff.models import StaffUser  # noqa: F401
