from django.urls import path

from safepath.commissioning import views_contracts, views_funding

app_name = "commissioning"
urlpatterns = [
    path("contracts/", views_contracts.contracts, name="contracts"),
    path("contracts/new/", views_contracts.contract_add, name="contract_add"),
    path("contracts/rules/", views_contracts.approval_rules, name="rules"),
    path("contracts/rules/new/", views_contracts.rule_add, name="rule_add"),
    path("contracts/rules/<int:pk>/retire/", views_contracts.rule_retire, name="rule_retire"),
    path("contracts/register/", views_contracts.contracts_export, name="contracts_export"),
    path("contracts/<int:pk>/", views_contracts.contract_detail, name="contract"),
    path("contracts/<int:pk>/variations/new/", views_contracts.variation_add, name="variation_add"),
    path("contracts/<int:pk>/decommission/", views_contracts.decommission, name="decommission"),
    path("contracts/<int:pk>/partners/new/", views_contracts.partner_add, name="partner_add"),
    path("contracts/<int:pk>/targets/new/", views_contracts.target_add, name="target_add"),
    path("contracts/<int:pk>/targets/<int:target_pk>/update/", views_contracts.target_update, name="target_update"),
    path("options/<int:pk>/decide/", views_contracts.option_decide, name="option_decide"),
    path("funding/", views_funding.funding, name="funding"),
    path("funding/sources/new/", views_funding.source_add, name="source_add"),
    path("funding/allocations/new/", views_funding.allocation_add, name="allocation_add"),
    path("funding/allocations/<int:pk>/spend/", views_funding.spend_record, name="spend_record"),
    path("funding/flow/", views_funding.funding_flow, name="funding_flow"),
    path("budgets/", views_funding.budget_list, name="budgets"),
    path("budgets/<int:pk>/", views_funding.budget_detail, name="budget"),
    path("budgets/<int:pk>/options/new/", views_funding.appraisal_add, name="appraisal_add"),
]
