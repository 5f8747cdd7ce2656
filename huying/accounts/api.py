"""The base of every app's REST views: who may call, how, and who is acting."""

from __future__ import annotations

from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from .authentication import TokenAuthentication
from .selectors import Actor, actor_for


# Token first (a request without credentials gets 401 with ``WWW-Authenticate: Token``), then the
# session; JSON bodies and a signed-in caller unless a view says otherwise. (A comment, not a
# docstring: drf-spectacular would publish a class docstring as every view's description.)
class ApiView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @property
    def actor(self) -> Actor:
        return actor_for(self.request.user)
