"""Load a demo scenario's configuration and accounts. Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction

from safepath.accounts.models import Membership, Organisation, User
from safepath.areas.boundaries import demo_boundaries_load
from safepath.areas.models import Area
from safepath.core.roles import Role
from safepath.demo.models import LoadedScenario
from safepath.demo.scenarios import DEMO_PASSWORD, Scenario, demo_email


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    organisation: str


DEFAULT_SEED = 2017


@transaction.atomic
def scenario_load(*, scenario: Scenario, seed: int = DEFAULT_SEED) -> list[DemoAccount]:
    areas = _load_areas(scenario)
    demo_boundaries_load()  # schematic shapes for the coverage map, not Ordnance Survey data
    organisations = {}
    for key, (name, org_type, area_names) in scenario.organisations.items():
        organisation, _ = Organisation.objects.update_or_create(
            name=name, defaults={"type": org_type, "is_active": True}
        )
        organisation.areas.set([areas[a] for a in area_names])
        organisations[key] = organisation
    # One hash for every account: the password is published, and each hash takes a deliberate half second.
    password = make_password(DEMO_PASSWORD)
    accounts = [
        _load_account(role, organisations[org_key], full_name, password)
        for role, org_key, full_name in scenario.accounts
    ]
    _load_pathways(scenario)
    _load_records(scenario, organisations, seed)
    LoadedScenario.objects.exclude(name=scenario.name).delete()
    LoadedScenario.objects.update_or_create(name=scenario.name)
    return accounts


def _load_pathways(scenario: Scenario) -> None:
    """A scenario's own pathways, configured as an administrator would: settings and frameworks."""
    from safepath.cases.models import PathwaySettings
    from safepath.outcomes.models import OutcomeFramework
    from safepath.referrals.models import Pathway

    last = Pathway.objects.order_by("-order").values_list("order", flat=True).first() or 0
    for offset, spec in enumerate(scenario.pathways, start=1):
        pathway, _ = Pathway.objects.update_or_create(
            code=spec.code, defaults={"name": spec.name, "description": spec.description}
        )
        if pathway.order == 0:
            pathway.order = last + offset
            pathway.save(update_fields=["order"])
        PathwaySettings.objects.update_or_create(pathway=pathway, defaults=spec.settings)
        for framework in OutcomeFramework.objects.filter(code__in=spec.frameworks):
            framework.pathways.add(pathway)


def _load_records(scenario: Scenario, organisations: dict[str, Organisation], seed: int) -> None:
    """Synthetic records, once: a second run finds them and leaves them alone. A scenario without
    casework (the prevention review) has only the apps' own records (contracts and money)."""
    from django.utils import timezone

    from safepath.demo.generate import SOURCES, Mix, generate_referrals
    from safepath.referrals.models import Referral

    end = timezone.now()
    hub = organisations.get("hub")
    if not scenario.referrals_per_year:
        _load_app_records(scenario, organisations, end)
        return
    if hub is None or Referral.objects.filter(hub=hub).exists():
        return
    from safepath.demo.cases import generate_cases

    by_pathway = {code: [organisations[key]] for code, key in scenario.pathway_providers.items()}
    by_pathway |= {spec.code: [organisations[key] for key in spec.providers] for spec in scenario.pathways}
    generate_referrals(
        hub=hub,
        provider=organisations["provider"],
        count=scenario.referrals_per_year,
        seed=seed,
        end=end,
        providers_by_pathway=by_pathway,
        mix=Mix(
            male_share=scenario.male_share,
            age_bands=scenario.age_bands,
            children_weights=scenario.children_weights,
            risk_assessed=scenario.risk_assessed,
            sources=scenario.sources or tuple(SOURCES),
            main_pathway=scenario.main_pathway,
        ),
    )
    lead = User.objects.filter(email=demo_email(Role.CASEWORKER)).first()
    providers = [org for org in organisations.values() if org.type == "provider"]
    generate_cases(providers=providers, end=end, lead_worker=lead, seed=seed)
    _load_app_records(scenario, organisations, end)


# Apps that add their own demo records, in order: each has `demo.py` with
# `demo_load(*, scenario, organisations, end)`, run once inside the scenario's transaction
# after referrals and cases exist (MARAC builds on referrals, placements on cases).
APP_DEMOS = (
    "safepath.marac.demo",
    "safepath.accommodation.demo",
    "safepath.commissioning.demo",
    "safepath.dropins.demo",
)


def _load_app_records(scenario: Scenario, organisations: dict[str, Organisation], end: datetime) -> None:
    from importlib import import_module

    for module_name in APP_DEMOS:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue  # that app has no demo records yet
        module.demo_load(scenario=scenario, organisations=organisations, end=end)


def _load_areas(scenario: Scenario) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for spec in scenario.areas:
        areas[spec.name], _ = Area.objects.update_or_create(
            name=spec.name,
            defaults={
                "code": spec.code,
                "rural_urban_class": spec.rural_urban_class,
                "adult_women": spec.adult_women,
                "adult_men": spec.adult_men,
                "postcode_districts": spec.postcode_districts,
                "parent": areas.get(spec.parent) if spec.parent else None,
            },
        )
    return areas


def _load_account(role: str, organisation: Organisation, full_name: str, password: str) -> DemoAccount:
    email = demo_email(role)
    user = User.objects.filter(email=email).first() or User(email=email)
    user.full_name = full_name
    user.is_demo = True
    user.is_active = True
    user.password = password
    user.save()
    Membership.objects.update_or_create(user=user, organisation=organisation, role=role, defaults={"is_active": True})
    return DemoAccount(role=role, email=email, organisation=organisation.name)
