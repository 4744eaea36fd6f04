"""Questionnaire templates (``questionnaires/*.yaml``): load, validate answers, assess.

Pure: no database, services or UI. ``clauses``, ``certifications`` and ``checklist`` load the
regime clause rules, certification rules and review checklist shipped in ``data/``.
"""

from vendorrisk.questionnaires.answers import jsonable, validate_answer
from vendorrisk.questionnaires.assess import Assessment, RiskyAnswer, assess, normalise_answers
from vendorrisk.questionnaires.loader import (
    TemplateLibrary,
    get,
    latest,
    load_all,
    load_template_file,
    load_templates,
    templates_for,
)
from vendorrisk.questionnaires.model import (
    DEFAULT_SEVERITY_POINTS,
    AnswerType,
    FrameworkRef,
    Question,
    RiskRule,
    RuleOp,
    Template,
)

__all__ = [
    "DEFAULT_SEVERITY_POINTS",
    "AnswerType",
    "Assessment",
    "FrameworkRef",
    "Question",
    "RiskRule",
    "RiskyAnswer",
    "RuleOp",
    "Template",
    "TemplateLibrary",
    "assess",
    "get",
    "jsonable",
    "latest",
    "load_all",
    "load_template_file",
    "load_templates",
    "normalise_answers",
    "templates_for",
    "validate_answer",
]
