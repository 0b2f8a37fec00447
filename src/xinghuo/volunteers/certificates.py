"""A certificate as a PDF (core.pdf): the service certificate with its records, each under the organisation that
keeps it, or the star certificate; both with the number and a QR code of the public verify page."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse

from xinghuo.core.pdf import render_pdf
from xinghuo.volunteers.models import Certificate, CertificateKind, RecordStatus, ServiceRecord


def verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("volunteers:verify", args=[certificate.number]))


def service_records(certificate: Certificate) -> list[ServiceRecord]:
    """The records the certificate counted: confirmed, in its period, and confirmed by the time it was issued."""
    return list(
        ServiceRecord.unscoped.filter(
            volunteer_id=certificate.person_id, status=RecordStatus.CONFIRMED, date__gte=certificate.period_start,
            date__lte=certificate.period_end, confirmed_at__lte=certificate.created_at,
        ).select_related("organisation", "activity", "team").order_by("date", "id")
    )  # fmt: skip


def certificate_pdf(certificate: Certificate, *, request: HttpRequest) -> bytes:
    context: dict = {"certificate": certificate, "verify_url": verify_url(request, certificate)}
    if certificate.kind == CertificateKind.STAR:
        context["stars"] = "★" * (certificate.level or 0)
        return render_pdf("volunteers/pdf/star.html", context, request=request)
    records = service_records(certificate)
    by_org: OrderedDict[int, dict] = OrderedDict()
    for r in records:
        row = by_org.setdefault(r.organisation_id, {"name": r.organisation.name, "count": 0, "hours": Decimal(0)})
        row["count"] += 1
        row["hours"] += r.hours
    context.update(records=records, by_organisation=sorted(by_org.values(), key=lambda row: -row["hours"]))
    return render_pdf("volunteers/pdf/service.html", context, request=request)


def filename(certificate: Certificate) -> str:
    return f"{certificate.get_kind_display()}-{certificate.name}-{certificate.number}.pdf"
