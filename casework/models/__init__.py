"""The legal-matters domain, split by noun."""

from .audit import AccessRecord
from .cases import (
    Case,
    CaseNote,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
    IncidentFigure,
    RegistryCounter,
)
from .deadlines import Deadline, DeadlineRule, Reminder
from .reference import Court, LegalArticle, MonthlyIndex, WorkingDayCorrection
from .security import SecurityPolicy
from .users import Office, User

__all__ = [
    "AccessRecord",
    "Case",
    "CaseNote",
    "Court",
    "Deadline",
    "DeadlineRule",
    "Fine",
    "Hearing",
    "Incident",
    "IncidentClient",
    "IncidentFigure",
    "LegalArticle",
    "MonthlyIndex",
    "Office",
    "RegistryCounter",
    "Reminder",
    "SecurityPolicy",
    "User",
    "WorkingDayCorrection",
]
