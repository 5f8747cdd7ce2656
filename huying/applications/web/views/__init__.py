"""办件 pages: one-window acceptance, the reviewer inbox and unified issuance (window), an
application's detail and actions (application), citizen apply and track (citizen), proxies,
assisted services, the project butler and figures (assist).

Views parse the request, call a service or selector and render; every error is shown in Chinese.
"""

from .application import act, certificate, detail, material_file, material_upload, reveal
from .assist import assists, figures, project, projects, proxies
from .citizen import apply_bundle, apply_item, mine
from .window import accept, issue_window, review_inbox, task_decide

__all__ = [
    "accept",
    "act",
    "apply_bundle",
    "apply_item",
    "assists",
    "certificate",
    "detail",
    "figures",
    "issue_window",
    "material_file",
    "material_upload",
    "mine",
    "project",
    "projects",
    "proxies",
    "reveal",
    "review_inbox",
    "task_decide",
]
