"""The API's OpenAPI schema, its docs page under the site's CSP, and the token command."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openapi_spec_validator import validate

from reti.accounts.models import ApiToken
from reti.registry.tests import factories as f


def test_openapi_schema_validates_as_openapi_3(client, db):
    response = client.get(reverse("api:openapi-json"))

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_lists_every_resource_and_marks_writes_as_token_only(client, db):
    paths = client.get(reverse("api:openapi-json")).json()["paths"]

    for resource in ["networks", "projects", "organisations", "territories", "working-groups"]:
        assert f"/api/v1/{resource}" in paths
    assert "security" not in paths["/api/v1/projects"]["get"]
    assert paths["/api/v1/projects"]["post"]["security"] == [{"ApiTokenAuth": []}]
    assert paths["/api/v1/partnerships/{record_id}"]["delete"]["security"] == [{"ApiTokenAuth": []}]
    [status] = [p for p in paths["/api/v1/projects"]["get"]["parameters"] if p["name"] == "status"]
    assert {"enum": ["planned", "active", "completed"], "type": "string"} in status["schema"][
        "anyOf"
    ]


def test_docs_page_works_under_the_content_security_policy(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script_src
    assert "http" not in script_src
    # Every script is a local file, or JSON data the browser does not run.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "cdn" not in html.lower()


def test_api_token_command_prints_a_working_key_once(db):
    user = f.UserFactory(username="importer")
    out = StringIO()

    call_command("api_token", "importer", "import test", stdout=out, stderr=StringIO())

    key = out.getvalue().strip()
    assert ApiToken.objects.authenticate(key) == user
    token = ApiToken.objects.get(user=user)
    assert token.name == "import test"
    assert key not in (token.digest, token.prefix)


def test_api_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody", "x", stdout=StringIO(), stderr=StringIO())
