"""The load mix for ``make bench-load`` (bench/load.py runs it headless): a hotline day's shape.

Operators record calls (API intake) and open the workbench; unit handlers read their inbox; supervisors
open the dashboard; citizens look at their appeals; other cities' apps submit and read through Open311.
Every user signs in once (the demo accounts, password huying2026) and keeps its session.
"""

from __future__ import annotations

import os
import random
import uuid

from locust import HttpUser, between, task

PASSWORD = "huying2026"
OPEN311_KEY = os.environ.get("LOAD_OPEN311_KEY", "")
OPEN311_CODE = os.environ.get("LOAD_OPEN311_CODE", "")
TEXTS = ["小区门口路灯不亮", "楼下饭店夜间噪音扰民", "人行道地砖破损", "供暖温度不达标", "垃圾清运不及时"]


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="login")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )

    def csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}


class Operator(SignedIn):
    weight = 4
    username = "operator"

    @task(3)
    def intake(self) -> None:
        body = {
            "channel": "hotline",
            "appeal_type": "complaint",
            "content": f"{random.choice(TEXTS)}，位置在滨城区黄河{random.randint(1, 99)}路{uuid.uuid4().hex[:6]}",
            "requester_phone": f"139{random.randint(10000000, 99999999)}",
        }
        self.client.post("/api/v1/appeals/", json=body, headers=self.csrf(), name="intake")

    @task(1)
    def workbench(self) -> None:
        self.client.get("/appeals/workbench/", name="workbench")


class Handler(SignedIn):
    weight = 3
    username = "chengguan"

    @task
    def inbox(self) -> None:
        self.client.get("/appeals/inbox/", name="inbox")


class Supervisor(SignedIn):
    weight = 1
    username = "supervisor"

    @task
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")


class Citizen(SignedIn):
    weight = 2
    username = "citizen"

    @task
    def tracking(self) -> None:
        self.client.get("/appeals/mine/", name="citizen tracking")


class CityApp(HttpUser):
    weight = 2
    wait_time = between(0.5, 1.5)

    @task(2)
    def open311_list(self) -> None:
        self.client.get("/open311/v2/requests.json", name="open311 list")

    @task(1)
    def open311_submit(self) -> None:
        data = {
            "api_key": OPEN311_KEY,
            "service_code": OPEN311_CODE,
            "address_string": "滨州市滨城区黄河五路",
            "description": f"{random.choice(TEXTS)} {uuid.uuid4().hex[:8]}",
        }
        self.client.post(
            "/open311/v2/requests.json",
            data=data,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="open311 submit",
        )
