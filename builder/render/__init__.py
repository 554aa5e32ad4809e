"""Rendering: the linked site as pages of bytes. Builds view data, fills templates, writes nothing."""
from .plan import ALL, EVERYTHING, PageJob, plan, render_problems, render_site
from .templates import (
           ASSETS,
           builtin_templates,
           environment,
           only_in_templates,
           own_template_errors,
           render_despite,
           template_error,
           template_problems,
)

__all__ = ["ALL", "ASSETS", "EVERYTHING", "PageJob", "builtin_templates", "environment", "only_in_templates", "own_template_errors", "plan",
           "render_despite", "render_problems",
           "render_site",
           "template_error", "template_problems"]
