"""Deputies and legislation (人大/政协): drafts opened for comment article by article, liaison stations
and reception days, suggestions and proposals on their statutory clocks, the deputies' mediation room
and the filing review of normative documents."""

from .drafts import ContactPoint, Draft, DraftNode, Informant, OfflineSession, Opinion
from .filing import Expert, ExpertAssignment, FiledDocument
from .mediation import Committee, MediationCase, MediationParty, MediationSession
from .stations import Booking, DeputyProfile, Reception, ReceptionDay
from .suggestions import Suggestion, SuggestionEvent, SuggestionUnit

__all__ = [
    "Booking",
    "Committee",
    "ContactPoint",
    "DeputyProfile",
    "Draft",
    "DraftNode",
    "Expert",
    "ExpertAssignment",
    "FiledDocument",
    "Informant",
    "MediationCase",
    "MediationParty",
    "MediationSession",
    "OfflineSession",
    "Opinion",
    "Reception",
    "ReceptionDay",
    "Suggestion",
    "SuggestionEvent",
    "SuggestionUnit",
]
