from django.contrib import admin

from keikaku.plans import models as m

for model in (
    m.Municipality,
    m.ComprehensivePlan,
    m.BasicConcept,
    m.BasicGoal,
    m.Edition,
    m.PolicyArea,
    m.Measure,
    m.Initiative,
    m.PriorityStrategy,
    m.Indicator,
    m.IndicatorValue,
    m.Programme,
    m.ProgrammeCost,
    m.PublishedPage,
):
    admin.site.register(model)
