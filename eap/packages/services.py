import sqlalchemy as sa

from eap.extensions import db
from eap.packages.models import ServicePackage


def active_packages() -> list[ServicePackage]:
    return list(
        db.session.scalars(
            sa.select(ServicePackage)
            .where(ServicePackage.active.is_(True))
            .order_by(ServicePackage.sort_order, ServicePackage.id)
        )
    )
