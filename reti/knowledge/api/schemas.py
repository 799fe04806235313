"""What the knowledge API answers and accepts."""

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from reti.lib.api.schemas import Id, Input, choice, text_fields

from ..models import GoodPractice, PracticeResult, Transfer, TranslationStatus


class Ref(Schema):
    id: int
    name: str


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


class PracticeItem(Schema):
    id: int
    title_it: str
    title_en: str
    summary_it: str
    summary_en: str
    state: str
    lead_organisation: Ref
    network: Ref | None
    region: str | None = Field(None, description="ISTAT code of the region.")
    period: str | None
    published_at: datetime | None
    synthetic: bool

    @staticmethod
    def resolve_lead_organisation(obj):
        return _ref(obj.lead_organisation)

    @staticmethod
    def resolve_network(obj):
        return _ref(obj.network)

    @staticmethod
    def resolve_region(obj):
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_period(obj):
        return obj.period.code if obj.period_id else None


class FigureOut(Schema):
    label_it: str
    label_en: str
    value: Decimal
    unit: str
    evidence: str


class LinkOut(Schema):
    url: str
    label_it: str
    label_en: str


class ContactOut(Schema):
    name: str
    role: str
    email: str


class AttachmentOut(Schema):
    id: int
    title: str
    original_name: str
    kind: str
    size: int
    extraction_status: str
    url: str

    @staticmethod
    def resolve_url(obj):
        return reverse("knowledge:attachment_download", args=[obj.pk])


class TransferOut(Schema):
    id: int
    practice: Ref
    adopting_organisation: Ref
    adopting_region: str | None
    stage: str
    adapted_it: str
    adapted_en: str
    results_it: str
    results_en: str
    start_date: date | None
    end_date: date | None
    synthetic: bool

    @staticmethod
    def resolve_practice(obj):
        return _ref(obj.practice)

    @staticmethod
    def resolve_adopting_organisation(obj):
        return _ref(obj.adopting_organisation)

    @staticmethod
    def resolve_adopting_region(obj):
        return obj.adopting_region.code if obj.adopting_region_id else None


class PracticeDetail(PracticeItem):
    description_it: str
    description_en: str
    context_it: str
    context_en: str
    resources_it: str
    resources_en: str
    results_it: str
    results_en: str
    evidence_it: str
    evidence_en: str
    difficulties_it: str
    difficulties_en: str
    transfer_potential_it: str
    transfer_potential_en: str
    status_it: str
    status_en: str
    themes: list[str]
    target_groups: list[str]
    partner_organisations: list[Ref]
    territory: str | None
    project: Ref | None
    start_date: date | None
    end_date: date | None
    fund: str | None
    amount: Decimal | None
    sent_back_reason: str
    validation_comment: str
    figures: list[FigureOut]
    links: list[LinkOut]
    contacts: list[ContactOut]
    attachments: list[AttachmentOut]
    transfers: list[TransferOut]

    @staticmethod
    def resolve_themes(obj):
        return [theme.code for theme in obj.themes.all()]

    @staticmethod
    def resolve_target_groups(obj):
        return [group.code for group in obj.target_groups.all()]

    @staticmethod
    def resolve_partner_organisations(obj):
        return [_ref(org) for org in obj.partner_organisations.all()]

    @staticmethod
    def resolve_territory(obj):
        return obj.territory.code if obj.territory_id else None

    @staticmethod
    def resolve_project(obj):
        return _ref(obj.project) if obj.project_id else None

    @staticmethod
    def resolve_fund(obj):
        return obj.fund.code if obj.fund_id else None

    @staticmethod
    def resolve_figures(obj):
        return list(obj.figures.all())

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())

    @staticmethod
    def resolve_contacts(obj):
        contacts = obj.contacts.select_related("person")
        return [
            {
                "name": str(contact),
                "role": contact.role,
                "email": contact.email or (contact.person.email if contact.person_id else ""),
            }
            for contact in contacts
            if contact.is_public
        ]

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_transfers(obj):
        return list(
            obj.transfers.select_related("practice", "adopting_organisation", "adopting_region")
        )


class FigureIn(Input):
    multiline = text_fields(PracticeResult)
    label_it: str
    label_en: str = ""
    value: Decimal
    unit: str = ""
    evidence: str = ""


class LinkIn(Input):
    url: str
    label_it: str
    label_en: str = ""


class PracticeIn(Input):
    multiline = text_fields(GoodPractice)
    title_it: str
    title_en: str = ""
    summary_it: str = ""
    summary_en: str = ""
    description_it: str = ""
    description_en: str = ""
    context_it: str = ""
    context_en: str = ""
    resources_it: str = ""
    resources_en: str = ""
    results_it: str = ""
    results_en: str = ""
    evidence_it: str = ""
    evidence_en: str = ""
    difficulties_it: str = ""
    difficulties_en: str = ""
    transfer_potential_it: str = ""
    transfer_potential_en: str = ""
    status_it: choice(TranslationStatus) = TranslationStatus.ORIGINAL.value
    status_en: choice(TranslationStatus) = TranslationStatus.MISSING.value
    lead_organisation: Id = Field(description="Id of the lead organisation.")
    partner_organisations: list[Id] = []
    network: str | None = Field(None, description="Slug of the network of origin.")
    project: Id | None = Field(None, description="Id of the project of origin.")
    territory: str | None = Field(None, description="ISTAT, NUTS or ISO code.")
    period: str | None = Field(None, description="Programming period code, e.g. 2007-2013.")
    start_date: date | None = None
    end_date: date | None = None
    fund: str | None = Field(None, description="Fund code, e.g. FSE.")
    amount: Decimal | None = None
    themes: list[str] = Field([], description="Theme codes.")
    target_groups: list[str] = Field([], description="Target group codes.")
    figures: list[FigureIn] | None = Field(
        None, description="Quantified results; when given, they replace the practice's."
    )
    links: list[LinkIn] | None = Field(
        None, description="Web links; when given, they replace the practice's."
    )


class CommentIn(Input):
    multiline = frozenset({"comment"})
    comment: str


class ReasonsIn(Input):
    multiline = frozenset({"reasons"})
    reasons: str


class TransferIn(Input):
    multiline = text_fields(Transfer)
    practice: Id
    adopting_organisation: Id
    adopting_region: str | None = Field(None, description="ISTAT code; default: the adopter's.")
    stage: choice(Transfer.Stage)
    adapted_it: str = ""
    adapted_en: str = ""
    results_it: str = ""
    results_en: str = ""
    start_date: date | None = None
    end_date: date | None = None


STATES = choice(GoodPractice.State)
