"""The communities API: private communities stay private, members write, fields are named."""

import json

from reti.accounts.models import ApiToken
from reti.communities import actions

API = "/api/v1"


def _auth(user):
    _token, key = ApiToken.objects.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_anonymous_readers_see_public_communities_only(client, circle):
    slugs = [c["slug"] for c in client.get(f"{API}/communities").json()]
    assert slugs == ["cdp-rsi"]
    assert client.get(f"{API}/communities/cdp-vittime-tratta").status_code == 404


def test_members_read_their_private_community_with_a_token(client, circle, cast):
    thread = actions.start_thread(circle.member, circle.community, title="T", body="**Ciao**")
    slugs = {c["slug"] for c in client.get(f"{API}/communities", **_auth(circle.member)).json()}
    assert slugs == {"cdp-rsi", "cdp-vittime-tratta"}
    body = client.get(f"{API}/communities/threads/{thread.pk}", **_auth(circle.moderator)).json()
    assert body["posts"][0]["body_html"] == "<p><strong>Ciao</strong></p>"
    outsider = client.get(f"{API}/communities/threads/{thread.pk}", **_auth(cast.outsider))
    assert outsider.status_code == 404


def test_members_write_others_get_403_and_empty_bodies_name_the_field(client, circle, cast):
    path = f"{API}/communities/cdp-rsi/threads"
    created = client.post(
        path,
        json.dumps({"title": "Premio RSI", "body": "Chi partecipa?"}),
        content_type="application/json",
        **_auth(circle.member),
    )
    assert created.status_code == 201
    thread_id = created.json()["id"]
    refused = client.post(
        path,
        json.dumps({"title": "X", "body": "Y"}),
        content_type="application/json",
        **_auth(cast.outsider),
    )
    assert refused.status_code == 403
    empty = client.post(
        f"{API}/communities/threads/{thread_id}/posts",
        json.dumps({"body": " "}),
        content_type="application/json",
        **_auth(circle.member),
    )
    assert empty.status_code == 400 and empty.json()["detail"][0]["field"] == "body"
    anonymous = client.post(
        path, json.dumps({"title": "X", "body": "Y"}), content_type="application/json"
    )
    assert anonymous.status_code == 401
