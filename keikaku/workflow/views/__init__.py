"""Views of the formulation: dashboard, sections, organisation, schedule, public progress."""
