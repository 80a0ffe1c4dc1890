from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import AccountMixin, TimestampMixin, UTCDateTime
from eap.security import sessions
from eap.security.crypto import EncryptedText

STAFF_ROLES = ("triage", "counsellor", "admin")
CASES_PER_FTE = 300  # cases a full-time counsellor carries per year (issue 5)


def _default_capacity(context) -> int:
    fte = context.get_current_parameters().get("fte") or 1
    return round(float(fte) * CASES_PER_FTE)


class StaffUser(AccountMixin, TimestampMixin, db.Model):
    __tablename__ = "staff_users"
    kind = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # TOTP secret, encrypted at rest; None until the staff member has enrolled.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)
    # Last accepted TOTP time step: a code is never accepted twice.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    # Argon2 hashes of the unused one-time recovery codes.
    recovery_codes: Mapped[list] = mapped_column(JSON, default=list)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Matching requests to counsellors: comma-separated language codes and topic keys.
    languages: Mapped[str] = mapped_column(String(100), default="")
    specialties: Mapped[str] = mapped_column(String(400), default="")
    # Full-time equivalent; float, not Decimal: SQLite has no exact decimals anyway.
    fte: Mapped[float] = mapped_column(Numeric(4, 2, asdecimal=False), default=1.0)
    yearly_capacity: Mapped[int] = mapped_column(Integer, default=_default_capacity)

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def specialty_list(self) -> list[str]:
        return [key for key in self.specialties.split(",") if key]

    @property
    def totp_enrolled(self) -> bool:
        return self.totp_secret is not None


sessions.register_user_model("staff", StaffUser)  # iGuS staff sign in
