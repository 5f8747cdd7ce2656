import cProfile, pstats, json, io, time
from rest_framework.authtoken.models import Token
from django.test import Client
from bench.content import AppealText

def test_prof(world):
    token = Token.objects.create(user=world.operator).key
    c = Client()
    text = AppealText(seed=5)
    cats = [world.cat_noise.pk, world.cat_road.pk, world.cat_heating.pk]
    def post(i):
        title, content, appeal_type, name = text.next()
        body = {"channel": "hotline", "appeal_type": appeal_type, "title": title, "content": content,
                "requester_name": name, "requester_phone": f"138{i:08d}", "category": cats[i % 3], "address": "滨州市滨城区"}
        r = c.post("/api/v1/appeals/", json.dumps(body, ensure_ascii=False), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
        assert r.status_code == 201, r.content[:300]
    for i in range(50): post(i)
    n = 400
    t = time.process_time()
    for i in range(50, 50 + n): post(i)
    print("CPU ms/appeal", (time.process_time() - t) * 1000 / n)
    pr = cProfile.Profile(); pr.enable()
    for i in range(1000, 1000 + n): post(i)
    pr.disable()
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(80); print(s.getvalue()[:20000])
