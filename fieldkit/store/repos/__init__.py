"""One repository per kind of record; each holds the SQL for its tables and nothing else."""

from fieldkit.store.repos.actions import ActionsRepo
from fieldkit.store.repos.audit import AuditRepo
from fieldkit.store.repos.forms import FormsRepo
from fieldkit.store.repos.interviews import InterviewRow, InterviewsRepo
from fieldkit.store.repos.maps import MapsRepo
from fieldkit.store.repos.places import FieldworkersRepo, RoundsRepo, SitesRepo

__all__ = [
    "ActionsRepo",
    "AuditRepo",
    "FieldworkersRepo",
    "FormsRepo",
    "InterviewRow",
    "InterviewsRepo",
    "MapsRepo",
    "RoundsRepo",
    "SitesRepo",
]
