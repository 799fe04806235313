"""Factories for grids records; synthetic data only."""

import factory
from django.contrib.contenttypes.models import ContentType

from reti.grids import models
from reti.registry.tests import factories as rf


class GridTemplateFactory(factory.django.DjangoModelFactory):
    """A stored version whose YAML is not parsed (enough for committees and assignments)."""

    class Meta:
        model = models.GridTemplate

    code = factory.Sequence(lambda n: f"griglia-{n}")
    version = 1
    status = models.GridTemplate.Status.PUBLISHED
    title_it = factory.Sequence(lambda n: f"Griglia di prova {n}")
    yaml = "code: prova\n"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Committee

    name_it = factory.Sequence(lambda n: f"Commissione di prova {n}")
    template = factory.SubFactory(GridTemplateFactory)
    synthetic = True


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory(rf.UserFactory)
    role = models.CommitteeMember.Role.MEMBER


def subject_of(obj) -> dict:
    """The generic-relation fields naming `obj` as a subject."""
    return {"subject_type": ContentType.objects.get_for_model(obj), "subject_id": obj.pk}


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Assignment
        exclude = ("subject",)

    committee = factory.SubFactory(CommitteeFactory)
    evaluator = factory.SubFactory(rf.UserFactory)
    subject = factory.SubFactory(rf.OrganisationFactory)
    subject_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.subject))
    subject_id = factory.LazyAttribute(lambda o: o.subject.pk)
