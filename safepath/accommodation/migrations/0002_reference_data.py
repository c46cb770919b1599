"""Default reasons and destinations for safe accommodation. Councils change them in the app."""

from django.db import migrations

TERMS = {
    "accommodation_decline_reasons": [
        ("no_capacity", "No capacity (no space free)"),
        ("needs_not_met", "The service could not meet the household's needs"),
        ("household_composition", "The household's make-up (for example older sons, or men)"),
        ("risk_to_others", "Risk to other residents or staff"),
        ("no_recourse", "No recourse to public funds and no funding found"),
        ("location_unsafe", "The location is not safe for this person"),
        ("household_declined", "The household declined the offer"),
        ("other", "Another reason"),
    ],
    "accommodation_end_reasons": [
        ("planned_move_on", "Planned move-on"),
        ("left_unplanned", "Left without notice"),
        ("evicted", "Asked to leave"),
        ("returned_to_perpetrator", "Returned to the person causing harm"),
        ("moved_for_safety", "Moved to another area for safety"),
        ("measures_complete", "Sanctuary measures complete"),
        ("other", "Another reason"),
    ],
    "accommodation_destinations": [
        ("own_tenancy", "Own tenancy (social housing)"),
        ("private_rented", "Private rented home"),
        ("another_refuge", "Another refuge or safe accommodation"),
        ("family_friends", "Family or friends"),
        ("temporary_accommodation", "Council temporary accommodation"),
        ("returned_home", "Returned to the previous home"),
        ("stayed_home", "Stayed at own home (sanctuary scheme)"),
        ("not_known", "Not known"),
    ],
}


def load(apps, schema_editor):
    Term = apps.get_model("core", "VocabularyTerm")
    for vocabulary, terms in TERMS.items():
        for order, (code, label) in enumerate(terms):
            Term.objects.get_or_create(vocabulary=vocabulary, code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("accommodation", "0001_initial"), ("core", "0002_vocabularyterm")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
