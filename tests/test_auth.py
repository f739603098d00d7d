"""Every route requires an authenticated user whom the server's authorizer allows."""

from __future__ import annotations

import json

import pytest
from jupyter_server.auth import Authorizer

from .conftest import EXAMPLE_STATE

# (method, path under <base_url>/neuroglancer/ with {id} and {token} filled in, body)
ROUTES = [
    ("GET", "api/version", None),
    ("GET", "api/viewers", None),
    ("POST", "api/viewers", {"kernel_id": "k", "port": 1, "token": "t"}),
    ("GET", "api/viewers/{id}", None),
    ("DELETE", "api/viewers/{id}", None),
    ("GET", "api/viewers/{id}/status", None),
    ("POST", "api/hosted-viewers", {"state": EXAMPLE_STATE}),
    ("GET", "proxy/{id}/v/{token}/", None),
    ("HEAD", "proxy/{id}/v/{token}/", None),
    ("GET", "proxy/{id}/events/{token}?c=x&gc=&gs=", None),
    ("POST", "proxy/{id}/state/{token}", {"pg": "", "g": "x", "c": "x", "s": {}}),
    ("POST", "proxy/{id}/action/{token}", {"action": "x", "state": {}}),
    ("GET", "proxy/unknown/v/{token}/", None),
    ("GET", "api/datasets?path=data.zarr&origin=http://localhost:8888", None),
    ("GET", "files/data.zarr/.zarray", None),
    ("HEAD", "files/data.zarr/.zarray", None),
]


async def _call(raw_fetch, jp_base_url, route, record, headers):
    method, path, body = route
    url = jp_base_url + "neuroglancer/" + path.format(id=record["id"], token=record["token"])
    return await raw_fetch(
        url,
        method=method,
        headers=headers,
        body=json.dumps(body) if body is not None else None,
        allow_nonstandard_methods=True,
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route[0]} {route[1]}")
async def test_unauthenticated_requests_are_refused(
    raw_fetch, jp_base_url, hosted_viewer, neuroglancer_ext, route
):
    record, viewer = await hosted_viewer(state=EXAMPLE_STATE)
    response = await _call(raw_fetch, jp_base_url, route, record, headers={})
    assert response.code in (401, 403), response
    if route[0] != "HEAD":
        error = json.loads(response.body)
        assert error["code"] == response.code
        assert error["message"]
    # Nothing happened.
    assert neuroglancer_ext.registry.get(record["id"]) is not None
    assert list(viewer.state.position) == [10, 20, 30]


class DenyNeuroglancer(Authorizer):
    """Allows everything but the ``neuroglancer`` resource."""

    def is_authorized(self, handler, user, action, resource):
        return resource != "neuroglancer"


class TestAuthorizerRefuses:
    """A logged-in user whom the authorizer refuses gets 403 everywhere."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        jp_server_config["ServerApp"]["authorizer_class"] = DenyNeuroglancer
        return jp_server_config

    @pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route[0]} {route[1]}")
    async def test_refused(self, raw_fetch, jp_base_url, jp_auth_header, neuroglancer_ext, route):
        from jupyterlab_neuroglancer.server.registry import server_owner

        record, _ = neuroglancer_ext.registry.add(
            port=1, token="abc", name="x", owner=server_owner()
        )
        response = await _call(
            raw_fetch, jp_base_url, route, record.to_json(), headers=jp_auth_header
        )
        assert response.code == 403, response
        if route[0] != "HEAD":
            error = json.loads(response.body)
            assert error["code"] == 403
            assert "not allowed" in error["message"]
        # The token itself is fine: Jupyter's own API answers.
        status = await raw_fetch(jp_base_url + "api/status", headers=jp_auth_header)
        assert status.code == 200


async def test_api_posts_need_xsrf_with_cookie_login(raw_fetch, jp_base_url, jp_fetch):
    from .conftest import get_login_cookie

    cookie = await get_login_cookie(jp_fetch)
    response = await raw_fetch(
        jp_base_url + "neuroglancer/api/hosted-viewers",
        method="POST",
        body="{}",
        headers={"Cookie": cookie},
    )
    assert response.code == 403
    assert json.loads(response.body)["code"] == 403
