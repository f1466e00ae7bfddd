def test_landing_and_sign_in_pages(client):
    assert client.get("/").status_code == 200
    for site in ("staff", "partner", "portal", "kiosk"):
        assert client.get(f"/{site}/login").status_code == 200


def test_staff_sign_in_and_out(client, auth, case_manager):
    resp = auth.login(case_manager)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert client.get("/staff/").status_code == 200
    auth.logout("staff")
    assert client.get("/staff/").status_code == 302
