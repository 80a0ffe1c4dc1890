from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eap.extensions import db
from eap.models import TimestampMixin

AREAS = ("medical", "psychological", "social")
MODALITIES = ("phone", "video", "in_person")


class ServicePackage(TimestampMixin, db.Model):
    __tablename__ = "service_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key: names the Stripe product and the lookup keys of its prices.
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_de: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    description_de: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)
    # Comma-separated subset of AREAS.
    areas: Mapped[str] = mapped_column(String(60), default=",".join(AREAS))
    dependants_included: Mapped[bool] = mapped_column(Boolean, default=False)
    # First response promise in working hours (NRW), normal and urgent requests.
    response_hours: Mapped[int] = mapped_column(Integer, default=48)
    urgent_response_hours: Mapped[int] = mapped_column(Integer, default=24)
    # Net prices per seat in euro cents.
    price_month_cents: Mapped[int] = mapped_column(Integer)
    price_year_cents: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    stripe_product_id: Mapped[str | None] = mapped_column(String(255))
    # Appointments: how a person may meet their counsellor (comma-separated subset of
    # MODALITIES), and how many counselling sessions a person gets per request and year.
    appointment_modalities: Mapped[str] = mapped_column(String(60), default=",".join(MODALITIES))
    sessions_per_issue: Mapped[int] = mapped_column(Integer, default=5)

    @property
    def area_list(self) -> list[str]:
        return [a for a in self.areas.split(",") if a]

    @property
    def modality_list(self) -> list[str]:
        return [m for m in self.appointment_modalities.split(",") if m in MODALITIES]

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_de

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" else self.description_de
