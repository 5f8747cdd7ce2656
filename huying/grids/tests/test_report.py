"""随手拍 from a phone: the photo cleaned, the grid found from the point, one appeal per key."""

from __future__ import annotations

import io
import threading
import time
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from PIL import Image

from huying.appeals.models import Appeal, Attachment, IdempotencyKey
from huying.appeals.services import IdempotencyConflict
from huying.appeals.states import Channel
from huying.core.errors import ValidationFailed
from huying.grids import errors
from huying.grids.services.report import report_submit

from .factories import build, user

pytestmark = pytest.mark.django_db


def jpeg(size: tuple[int, int] = (3000, 2000), exif: bool = True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (90, 120, 200))
    buffer = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0110] = "PhoneModel"  # Model
        image.save(buffer, "JPEG", exif=data.tobytes())
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    g.world = world
    return g


def send(g: Any, key: str, *, who: Any = None, text: str = "黄河路口路灯不亮", lon: str = "118.005") -> Any:
    return report_submit(
        actor=who or g.worker,
        key=key,
        photo=jpeg(),
        latitude="37.005",
        longitude=lon,
        text=text,
        category=g.world.cat_road,
    )


def test_a_grid_worker_report_lands_on_the_grid_channel_with_a_clean_photo(g: Any) -> None:
    result = send(g, str(uuid.uuid4()))
    appeal = result.appeal
    assert result.created and appeal.channel == Channel.GRID and appeal.grid_code == g.west.code
    attachment = Attachment.objects.get(appeal=appeal)
    with Image.open(attachment.file) as stored:
        assert max(stored.size) <= 1600
        assert not stored.getexif()


def test_the_same_report_sent_three_times_leaves_one_appeal(g: Any) -> None:
    key = str(uuid.uuid4())
    results = [send(g, key) for _ in range(3)]
    assert [r.created for r in results] == [True, False, False]
    assert {r.appeal.number for r in results} == {results[0].appeal.number}
    assert Appeal.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_a_replayed_key_with_another_body_is_refused(g: Any) -> None:
    key = str(uuid.uuid4())
    send(g, key)
    with pytest.raises(IdempotencyConflict) as refused:
        send(g, key, text="另一件事：垃圾桶满溢")
    assert refused.value.status == 409
    assert Appeal.objects.count() == 1


def test_keys_are_per_user(g: Any) -> None:
    key = str(uuid.uuid4())
    send(g, key)
    resident = user("resident1")
    other = send(g, key, who=resident)
    assert other.created and other.appeal.channel == Channel.MOBILE and other.appeal.citizen_id == resident.pk
    assert Appeal.objects.count() == 2


def test_bad_input_changes_nothing(g: Any) -> None:
    with pytest.raises(ValidationFailed) as outside:
        send(g, str(uuid.uuid4()), lon="119.5")
    assert outside.value.code == errors.OUTSIDE_GRIDS
    with pytest.raises(ValidationFailed):
        send(g, "not-a-uuid")
    with pytest.raises(ValidationFailed):
        report_submit(
            actor=g.worker,
            key=str(uuid.uuid4()),
            photo=SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"),
            latitude="37.005",
            longitude="118.005",
            text="路灯",
        )
    assert not Appeal.objects.exists() and not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_leaves_one_appeal(world: Any) -> None:
    g = build(world)
    g.world = world
    key = str(uuid.uuid4())
    numbers: list[str] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(2)

    def attempt() -> str:
        # SQLite's shared-cache in-memory test database answers a lock with "table is locked" at
        # once instead of waiting on busy_timeout as a file database does; the phone retries the
        # same key, as it would after a lost answer. PostgreSQL never takes this branch.
        for _ in range(200):
            try:
                return str(send(g, key).appeal.number)
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.02)
        raise AssertionError("the database stayed locked")

    def run() -> None:
        try:
            barrier.wait()
            numbers.append(attempt())
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert len(numbers) == 2 and len(set(numbers)) == 1
    assert Appeal.objects.count() == 1
